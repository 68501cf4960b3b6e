import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Gate } from '@internal/plugin-delivery-common';
import { formatDuration } from '../../format/durations';
import { GateStatusIcon } from './GateStatusIcon';
import { gateStatusLabel } from './gateStatus';

const useStyles = makeStyles(theme => ({
  // One row in pipeline order: a narrow card scrolls sideways rather than breaking the chain.
  chain: {
    display: 'flex',
    flexWrap: 'nowrap',
    alignItems: 'stretch',
    gap: theme.spacing(0.5),
    overflowX: 'auto',
    listStyle: 'none',
    margin: 0,
    padding: 0,
    paddingBottom: theme.spacing(0.5),
  },
  step: {
    flex: '1 1 0',
    minWidth: 96,
    display: 'flex',
    alignItems: 'stretch',
  },
  gate: {
    flex: 1,
    // Long words (a gate title, a reason) wrap inside the box instead of overlapping the next gate.
    minWidth: 0,
    overflowWrap: 'break-word',
    padding: theme.spacing(0.75),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
  },
  failed: {
    borderColor: theme.palette.error.main,
    borderWidth: 2,
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(244, 67, 54, 0.12)'
        : 'rgba(244, 67, 54, 0.06)',
  },
  inactive: {
    opacity: 0.6,
  },
  title: {
    fontWeight: theme.typography.fontWeightBold as number,
    fontSize: '0.8125rem',
    lineHeight: 1.3,
  },
  // The box shows the start of the reason; the summary under the chain shows all of it.
  reason: {
    color: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightMedium as number,
    fontSize: '0.8125rem',
    display: '-webkit-box',
    WebkitLineClamp: 4,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  jobs: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  compact: {
    display: 'inline-flex',
    alignItems: 'center',
    flexWrap: 'nowrap',
  },
}));

function GateJobs(props: { gate: Gate }) {
  const classes = useStyles();
  const { gate } = props;
  // A gate spanning several jobs (deploy dev/staging/production) lists them; one job says nothing new.
  if (gate.jobs.length < 2) return null;
  return (
    <ul className={classes.jobs} aria-label={`${gate.title} jobs`}>
      {gate.jobs.map(job => (
        <li key={job.jobId}>
          <Box display="flex" alignItems="baseline">
            <GateStatusIcon status={job.status} />
            <Typography variant="caption" style={{ minWidth: 0 }}>
              <Link to={job.logsUrl}>{job.environment ?? job.name}</Link>{' '}
              {job.durationSeconds !== null
                ? formatDuration(job.durationSeconds)
                : gateStatusLabel(job.status).toLowerCase()}
            </Typography>
          </Box>
        </li>
      ))}
    </ul>
  );
}

/**
 * A run's gates in pipeline order: status, duration and a link to the logs of each; the failing
 * gate is outlined and says why it failed.
 */
export function GateChain(props: {
  gates: Gate[];
  failedGateId?: string | null;
}) {
  const classes = useStyles();
  const { gates, failedGateId } = props;
  return (
    <ol className={classes.chain} aria-label="Pipeline gates">
      {gates.map(gate => {
        const failed = gate.status === 'failure' || gate.id === failedGateId;
        const label = gateStatusLabel(gate.status);
        // A skipped or never-run gate has no logs worth opening.
        const inactive = gate.status === 'not-run' || gate.status === 'skipped';
        return (
          <li
            key={gate.id}
            className={classes.step}
            aria-label={`${gate.title}: ${label}`}
            data-testid={`gate-${gate.id}`}
          >
            <div
              className={[
                classes.gate,
                failed ? classes.failed : '',
                inactive ? classes.inactive : '',
              ].join(' ')}
            >
              <Typography
                variant="body2"
                component="div"
                className={classes.title}
              >
                {gate.title}
              </Typography>
              <Box display="flex" alignItems="baseline">
                <GateStatusIcon status={gate.status} />
                <Typography variant="caption" color="textSecondary">
                  {label}
                  {gate.durationSeconds !== null &&
                    ` · ${formatDuration(gate.durationSeconds)}`}
                </Typography>
              </Box>
              {failed && gate.reason && (
                <Typography
                  variant="body2"
                  className={classes.reason}
                  title={gate.reason}
                >
                  {gate.reason}
                </Typography>
              )}
              <GateJobs gate={gate} />
              {gate.logsUrl && !inactive && (
                <Typography variant="caption" component="div">
                  <Link to={gate.logsUrl} aria-label={`${gate.title} logs`}>
                    Logs
                  </Link>
                </Typography>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** The same chain as a row of icons, for a table cell; each icon names its gate on hover. */
export function CompactGateChain(props: { gates: Gate[] }) {
  const classes = useStyles();
  return (
    <Box className={classes.compact} component="span">
      {props.gates.map(gate => {
        const text = `${gate.title}: ${gateStatusLabel(gate.status)}${
          gate.reason ? ` — ${gate.reason}` : ''
        }`;
        return (
          <Tooltip key={gate.id} title={text}>
            <span role="img" aria-label={text}>
              <GateStatusIcon status={gate.status} />
            </span>
          </Tooltip>
        );
      })}
    </Box>
  );
}
