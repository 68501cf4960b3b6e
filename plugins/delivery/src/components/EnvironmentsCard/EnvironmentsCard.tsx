import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { DeliveryEnvironment } from '@internal/plugin-delivery-common';
import { Fragment, useState } from 'react';
import {
  boundPermission,
  useDeploymentPermissions,
} from '../../hooks/useDeploymentPermissions';
import { useEntityRouteParams } from '../../hooks/useEntityRouteParams';
import { useEnvironments } from '../../hooks/useEnvironments';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { ReviewDeploymentDialog } from '../ReviewDeploymentDialog';
import { RollbackDialog } from '../RollbackDialog';
import { EnvironmentLane, pendingFor } from './EnvironmentLane';
import { RepositoryRequired } from '../RepositoryRequired';
import { LiveStatusNote } from '../LiveStatusNote';

const useStyles = makeStyles(theme => ({
  // dev → staging → prod in one row; a narrow card scrolls sideways rather than reordering.
  lanes: {
    display: 'flex',
    alignItems: 'stretch',
    gap: theme.spacing(1),
    overflowX: 'auto',
  },
  lane: { flex: '1 1 0', minWidth: 180 },
  arrow: {
    alignSelf: 'center',
    color: theme.palette.text.secondary,
    flex: '0 0 auto',
  },
}));

type OpenDialog =
  | { kind: 'review'; environment: DeliveryEnvironment }
  | { kind: 'rollback'; environment: DeliveryEnvironment };

/** The polled environments, as useEnvironments returns them. */
export type EnvironmentsState = ReturnType<typeof useEnvironments>;

function PolledEnvironmentsCardBody(props: { onChanged?: () => void }) {
  const state = useEnvironments();
  return <EnvironmentsCardBody state={state} onChanged={props.onChanged} />;
}

function EnvironmentsCardBody(props: {
  state: EnvironmentsState;
  onChanged?: () => void;
}) {
  const { onChanged } = props;
  const classes = useStyles();
  const { value, error, retry } = props.state;
  const changed = () => {
    retry();
    onChanged?.();
  };
  const asked = useDeploymentPermissions();
  const { params: entity } = useEntityRouteParams();
  const [dialog, setDialog] = useState<OpenDialog>();

  if (error && !value) {
    return (
      <DeliveryErrorPanel error={error} title="Could not load environments" />
    );
  }
  if (!value) return <Progress />;
  const permissions = {
    ...asked,
    approve: boundPermission(asked.approve, value.approveBlockedReason),
  };

  const denied = [permissions.approve, permissions.rollback]
    .map(p => p.deniedReason)
    .filter((reason): reason is string => Boolean(reason));
  // The review dialog keeps the run it opened with: once approved, the run stops waiting.
  const reviewing =
    dialog?.kind === 'review' ? pendingFor(dialog.environment) : undefined;
  // The rollback dialog follows the refreshed environment (what is live now).
  const rollingBack =
    dialog?.kind === 'rollback'
      ? value.environments.find(e => e.name === dialog.environment.name) ??
        dialog.environment
      : undefined;

  return (
    <>
      <div className={classes.lanes}>
        {value.environments.map((environment, index) => (
          <Fragment key={environment.name}>
            {index > 0 && (
              <ArrowForwardIcon className={classes.arrow} aria-hidden />
            )}
            <div className={classes.lane}>
              <EnvironmentLane
                environment={environment}
                permissions={permissions}
                onReview={e => setDialog({ kind: 'review', environment: e })}
                onRollback={e =>
                  setDialog({ kind: 'rollback', environment: e })
                }
              />
            </div>
          </Fragment>
        ))}
      </div>
      {denied.length > 0 && (
        <Box mt={1}>
          {denied.map(reason => (
            <Typography
              key={reason}
              variant="caption"
              color="textSecondary"
              display="block"
              data-testid="denied-reason"
            >
              {reason}
            </Typography>
          ))}
        </Box>
      )}
      <Box mt={1}>
        <LiveStatusNote
          status={props.state.live}
          pollSeconds={props.state.idlePollMs / 1000}
        />
      </Box>
      {error && (
        <Typography variant="caption" color="error" display="block">
          Showing the last answer: refreshing failed ({error.message}).
        </Typography>
      )}
      {reviewing && (
        <ReviewDeploymentDialog
          open
          entity={entity}
          reviewWith={value?.reviewWith}
          approval={reviewing.approval}
          pending={reviewing.pending}
          onClose={() => setDialog(undefined)}
          onReviewed={changed}
        />
      )}
      {rollingBack && (
        <RollbackDialog
          open
          environment={rollingBack}
          onClose={() => setDialog(undefined)}
          onChanged={changed}
        />
      )}
    </>
  );
}

/**
 * Entity card: the entity's environments as dev → staging → prod lanes (version, health, replicas,
 * age of the last rollout, a run waiting for approval), with approve/reject and rollback.
 */
export function EnvironmentsCard(props: {
  /** Called after an approval, rejection or rollback, e.g. to refresh a history next to it. */
  onChanged?: () => void;
  /** Environments a page already polls (the card then fetches none of its own). */
  environments?: EnvironmentsState;
}) {
  const card = {
    title: 'Environments',
    subheader: 'What runs where, dev → prod',
  };
  return (
    <RepositoryRequired card={card}>
      <InfoCard {...card}>
        {props.environments ? (
          <EnvironmentsCardBody
            state={props.environments}
            onChanged={props.onChanged}
          />
        ) : (
          <PolledEnvironmentsCardBody onChanged={props.onChanged} />
        )}
      </InfoCard>
    </RepositoryRequired>
  );
}
