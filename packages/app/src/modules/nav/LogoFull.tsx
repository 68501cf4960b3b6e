import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
  mark: {
    fill: '#7df3e1',
  },
  text: {
    fill: '#ffffff',
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontWeight: 700,
    fontSize: 34,
  },
});

/** The portal's word mark: a bow on the waterline, then the name. */
export const LogoFull = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 300 48"
      role="img"
      aria-label="Titanic Portal"
    >
      <path className={classes.mark} d="M2 26h40l-6 12H10z" />
      <path className={classes.mark} d="M14 24V12h6v12zM24 24V6h6v18z" />
      <path
        className={classes.mark}
        d="M0 44c5 0 5-3 10-3s5 3 10 3 5-3 10-3 5 3 10 3v3c-5 0-5-3-10-3s-5 3-10 3-5-3-10-3-5 3-10 3z"
      />
      <text className={classes.text} x="54" y="36">
        Titanic Portal
      </text>
    </svg>
  );
};
