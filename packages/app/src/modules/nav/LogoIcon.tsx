import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  path: {
    fill: '#7df3e1',
  },
});

/** The portal's mark alone, for the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 44 48"
      role="img"
      aria-label="Titanic Portal"
    >
      <path className={classes.path} d="M2 26h40l-6 12H10z" />
      <path className={classes.path} d="M14 24V12h6v12zM24 24V6h6v18z" />
      <path
        className={classes.path}
        d="M0 44c5 0 5-3 10-3s5 3 10 3 5-3 10-3 5 3 10 3v3c-5 0-5-3-10-3s-5 3-10 3-5-3-10-3-5 3-10 3z"
      />
    </svg>
  );
};
