import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import {
  DeliveryEnvironment,
  PendingApproval,
  PendingEnvironment,
} from '@internal/plugin-delivery-common';
import { formatAge, secondsSince } from '../../format/durations';
import {
  ActionPermission,
  boundPermission,
} from '../../hooks/useDeploymentPermissions';
import { ActionButton } from './ActionButton';
import { EnvironmentHealthStatus } from './EnvironmentHealthStatus';

const useStyles = makeStyles(theme => ({
  lane: {
    padding: theme.spacing(1.5),
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.75),
  },
  tag: {
    fontFamily: 'monospace',
    fontWeight: 600,
    fontSize: '1.15rem',
    wordBreak: 'break-all',
  },
  waiting: { alignSelf: 'flex-start' },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: 'auto',
    paddingTop: theme.spacing(1),
  },
}));

/** The pending environment of `approval` that deploys `environment`, if it waits. */
export function pendingFor(
  environment: DeliveryEnvironment,
): { approval: PendingApproval; pending: PendingEnvironment } | undefined {
  const approval = environment.pendingApproval;
  if (!approval) return undefined;
  const pending =
    approval.environments.find(
      e =>
        e.environment === environment.name ||
        e.githubEnvironment === environment.githubEnvironment,
    ) ?? approval.environments[0];
  return pending ? { approval, pending } : undefined;
}

/** One environment: what runs there, how healthy it is, and what may be done about it. */
export function EnvironmentLane(props: {
  environment: DeliveryEnvironment;
  permissions: { approve: ActionPermission; rollback: ActionPermission };
  onReview: (environment: DeliveryEnvironment) => void;
  onRollback: (environment: DeliveryEnvironment) => void;
}) {
  const { environment, permissions, onReview, onRollback } = props;
  const classes = useStyles();
  const kubernetes = environment.kubernetes;
  const waiting = pendingFor(environment);
  const canRollBack = Boolean(
    kubernetes && kubernetes.revisions.some(revision => !revision.live),
  );

  return (
    <Paper
      variant="outlined"
      className={classes.lane}
      role="group"
      aria-label={`${environment.name} environment`}
      data-testid={`environment-lane-${environment.name}`}
    >
      <Box display="flex" justifyContent="space-between" alignItems="baseline">
        <Typography variant="h6" component="h3">
          {environment.name}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {environment.namespace}
        </Typography>
      </Box>

      {kubernetes ? (
        <>
          <Typography
            className={classes.tag}
            title={kubernetes.image}
            data-testid="environment-version"
          >
            {kubernetes.tag ?? kubernetes.image}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            revision {kubernetes.revision}
          </Typography>
          <EnvironmentHealthStatus health={kubernetes.health} />
          <Typography variant="body2" data-testid="environment-replicas">
            {kubernetes.replicas.ready}/{kubernetes.replicas.desired} replicas
            ready
          </Typography>
          {kubernetes.health === 'progressing' ? (
            <Typography variant="body2" color="textSecondary">
              {kubernetes.rollout.message}
            </Typography>
          ) : (
            <Typography variant="body2" color="textSecondary">
              {kubernetes.lastRolloutAt
                ? `rolled out ${formatAge(
                    secondsSince(kubernetes.lastRolloutAt),
                  )} ago`
                : 'rollout time unknown'}
            </Typography>
          )}
        </>
      ) : (
        <Typography
          variant="body2"
          color={environment.kubernetesError ? 'error' : 'textSecondary'}
          role="status"
        >
          {environment.kubernetesError
            ? `Cluster not readable: ${environment.kubernetesError.message}`
            : `Not deployed yet: no Deployment ${environment.deploymentName} in ${environment.namespace}`}
        </Typography>
      )}

      {waiting && (
        <Chip
          className={classes.waiting}
          size="small"
          color="secondary"
          icon={<HourglassEmptyIcon />}
          label={`Waiting for approval: run #${waiting.approval.runNumber}`}
          data-testid="waiting-for-approval"
        />
      )}
      {environment.githubError && (
        <Typography variant="caption" color="textSecondary">
          GitHub: {environment.githubError.message}
        </Typography>
      )}

      <div className={classes.actions}>
        {waiting && (
          <ActionButton
            permission={permissions.approve}
            label={`Review the deployment to ${environment.name}`}
            color="secondary"
            variant="contained"
            onClick={() => onReview(environment)}
          >
            Approve / reject
          </ActionButton>
        )}
        {canRollBack && (
          <ActionButton
            permission={boundPermission(
              permissions.rollback,
              environment.rollbackBlockedReason,
            )}
            label={`Roll back ${environment.name}`}
            disabled={kubernetes?.paused}
            title={
              kubernetes?.paused
                ? 'The Deployment is paused; resume it before rolling back.'
                : undefined
            }
            onClick={() => onRollback(environment)}
          >
            Roll back…
          </ActionButton>
        )}
      </div>
    </Paper>
  );
}
