import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ChevronRight from '@material-ui/icons/ChevronRight';
import { Gate } from '@internal/plugin-delivery-common';
import { formatDuration } from '../../format/durations';
import { GateStatusIcon } from './GateStatusIcon';
import { gateStatusLabel } from './gateStatus';

const useStyles = makeStyles(theme => ({
  chain: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'stretch',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  step: {
    flex: '1 1 0',
    minWidth: 120,
    display: 'flex',
    alignItems: 'stretch',
  },
  gate: {
    flex: 1,
    padding: theme.spacing(1),
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
    lineHeight: 1.3,
  },
  reason: {
    color: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightMedium as number,
    wordBreak: 'break-word',
  },
  arrow: {
    alignSelf: 'center',
    color: theme.palette.text.secondary,
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
          <Typography variant="caption" component="div">
            <GateStatusIcon status={job.status}>
              <Link to={job.logsUrl}>{job.environment ?? job.name}</Link>
              &nbsp;{formatDuration(job.durationSeconds)}
            </GateStatusIcon>
          </Typography>
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
      {gates.map((gate, index) => {
        const failed = gate.status === 'failure' || gate.id === failedGateId;
        const label = gateStatusLabel(gate.status);
        return (
          <li
            key={gate.id}
            className={classes.step}
            aria-label={`${gate.title}: ${label}`}
            data-testid={`gate-${gate.id}`}
          >
            {index > 0 && (
              <ChevronRight className={classes.arrow} aria-hidden="true" />
            )}
            <div
              className={[
                classes.gate,
                failed ? classes.failed : '',
                gate.status === 'not-run' || gate.status === 'skipped'
                  ? classes.inactive
                  : '',
              ].join(' ')}
            >
              <Typography
                variant="body2"
                component="div"
                className={classes.title}
              >
                <GateStatusIcon status={gate.status}>
                  {gate.title}
                </GateStatusIcon>
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {label}
                {gate.durationSeconds !== null &&
                  ` · ${formatDuration(gate.durationSeconds)}`}
              </Typography>
              {failed && gate.reason && (
                <Typography variant="body2" className={classes.reason}>
                  {gate.reason}
                </Typography>
              )}
              <GateJobs gate={gate} />
              {gate.logsUrl && (
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
