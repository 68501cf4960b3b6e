import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import LinearProgress from '@material-ui/core/LinearProgress';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  DeliveryEnvironment,
  RevisionSummary,
  RolloutStatus,
} from '@internal/plugin-delivery-common';
import { useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { deliveryApiRef } from '../../api';
import { formatAge, secondsSince } from '../../format/durations';
import { useEntityRouteParams } from '../../hooks/useEntityRouteParams';
import {
  rolloutFinished,
  useRolloutProgress,
} from '../../hooks/useRolloutProgress';
import { EnvironmentErrorAlert } from '../EnvironmentErrorAlert';
import { rolloutSeconds } from './rolloutDuration';

/** `kubectl rollout undo`'s default: the highest revision that is not live. */
export function defaultRollbackTarget(
  revisions: RevisionSummary[],
): RevisionSummary | undefined {
  return [...revisions]
    .filter(revision => !revision.live)
    .sort((a, b) => b.revision - a.revision)[0];
}

function revisionLabel(revision: RevisionSummary): string {
  const created = revision.createdAt
    ? ` · created ${formatAge(secondsSince(revision.createdAt))} ago`
    : '';
  return `Revision ${revision.revision} — ${
    revision.tag ?? revision.image
  }${created}`;
}

/**
 * How far a rollout got: replicas both updated and available, of those desired. Undefined (an
 * indeterminate bar) while the counts still describe the old ReplicaSet: right after the patch
 * they read "all available" although the controller has not observed the new template yet.
 */
function rolloutPercent(status: RolloutStatus): number | undefined {
  const { desired, updated, available } = status.replicas;
  if (desired <= 0) return undefined;
  const percent = (100 * Math.min(updated, available)) / desired;
  return percent >= 100 ? undefined : percent;
}

/**
 * Rolls an environment back: pick a revision (default the previous one), confirm what changes
 * from → to, then follow the rollout until it is complete (or stalled).
 */
export function RollbackDialog(props: {
  open: boolean;
  environment: DeliveryEnvironment;
  onClose: () => void;
  /** Called once the rollback was applied or refused, so the lanes refresh. */
  onChanged: () => void;
}) {
  const { open, environment, onClose, onChanged } = props;
  const api = useApi(deliveryApiRef);
  const { params } = useEntityRouteParams();
  const kubernetes = environment.kubernetes;
  const revisions = kubernetes?.revisions ?? [];
  const live = revisions.find(revision => revision.live);
  const candidates = revisions
    .filter(revision => !revision.live)
    .sort((a, b) => b.revision - a.revision);
  const [target, setTarget] = useState<number | undefined>(
    defaultRollbackTarget(revisions)?.revision,
  );
  const [reason, setReason] = useState('');
  const chosen = candidates.find(revision => revision.revision === target);

  const [state, rollback] = useAsyncFn(async () => {
    try {
      return await api.rollback(params, environment.name, {
        toRevision: target,
        expectedCurrentRevision: kubernetes?.revision,
        reason: reason.trim() || undefined,
      });
    } finally {
      onChanged();
    }
  }, [api, params, environment.name, target, kubernetes?.revision, reason]);

  const applied =
    state.value?.outcome === 'rolled-back' ? state.value : undefined;
  const progress = useRolloutProgress(
    applied ? environment.name : undefined,
    applied?.rollout,
  );
  const status = progress.status;
  const finished = rolloutFinished(status);
  const confirming = !state.value;
  const took =
    applied && status ? rolloutSeconds(status, applied.requestedAt) : undefined;
  const percent = status ? rolloutPercent(status) : undefined;
  // The lanes show the rolled-back version as soon as the rollout is done.
  useEffect(() => {
    if (finished) onChanged();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished]);

  const fromImage = kubernetes?.image ?? live?.image ?? 'unknown';
  const fromRevision = kubernetes?.revision ?? live?.revision;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="rollback-title"
    >
      <DialogTitle id="rollback-title">
        Roll back {environment.name}
      </DialogTitle>
      <DialogContent>
        {confirming && (
          <>
            <Typography variant="subtitle2" id="rollback-revision-label">
              Revision to return to
            </Typography>
            <RadioGroup
              aria-labelledby="rollback-revision-label"
              value={target === undefined ? '' : String(target)}
              onChange={event => setTarget(Number(event.target.value))}
            >
              {candidates.map(revision => (
                <FormControlLabel
                  key={revision.revision}
                  value={String(revision.revision)}
                  control={<Radio color="primary" />}
                  label={revisionLabel(revision)}
                  disabled={state.loading}
                />
              ))}
            </RadioGroup>
            {chosen && (
              <Alert
                severity="info"
                icon={false}
                data-testid="rollback-confirmation"
              >
                <AlertTitle>
                  {environment.namespace}/{environment.deploymentName}
                </AlertTitle>
                <Typography variant="body2">
                  from revision {fromRevision}:{' '}
                  <code data-testid="rollback-live-image">{fromImage}</code>
                </Typography>
                <Typography variant="body2">
                  to revision {chosen.revision}:{' '}
                  <code data-testid="rollback-target-image">
                    {chosen.image}
                  </code>
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  The revision’s pod template becomes live again as a new
                  revision, like kubectl rollout undo.
                </Typography>
              </Alert>
            )}
            <TextField
              id="rollback-reason"
              label="Reason"
              helperText="Kept in the audit trail."
              fullWidth
              margin="normal"
              variant="outlined"
              value={reason}
              inputProps={{ maxLength: 1000 }}
              onChange={event => setReason(event.target.value)}
              disabled={state.loading}
            />
          </>
        )}
        {state.error && (
          <EnvironmentErrorAlert error={state.error} action="rollback" />
        )}
        {state.value?.outcome === 'no-op' && (
          <Alert severity="info" data-testid="rollback-result">
            Nothing to do: {state.value.message}
          </Alert>
        )}
        {applied && status && !finished && (
          <Box data-testid="rollback-progress">
            <Typography variant="body2" gutterBottom>
              Rolling {environment.name} back to revision {applied.to.revision}{' '}
              ({applied.to.image}) — {status.message}
            </Typography>
            <LinearProgress
              variant={percent === undefined ? 'indeterminate' : 'determinate'}
              aria-label="Rollout progress"
              value={percent}
            />
            <Typography variant="caption" color="textSecondary">
              {status.replicas.updated} updated · {status.replicas.available}{' '}
              available of {status.replicas.desired} desired
            </Typography>
            {progress.error && (
              <Typography variant="caption" color="error" display="block">
                Could not read the rollout ({progress.error.message}); still
                trying.
              </Typography>
            )}
          </Box>
        )}
        {applied && status?.phase === 'complete' && (
          <Alert severity="success" data-testid="rollback-result">
            <AlertTitle>
              Rolled back {environment.name} to revision {applied.to.revision}
            </AlertTitle>
            {applied.to.image} is live again (as revision {applied.newRevision}
            ); all {status.replicas.desired} replicas are available.
            {took !== undefined && ` The rollout took ${took.toFixed(1)} s.`}
          </Alert>
        )}
        {applied && status?.phase === 'stalled' && (
          <Alert severity="error" data-testid="rollback-result">
            <AlertTitle>The rollback’s rollout stalled</AlertTitle>
            {status.message} The Deployment now asks for revision{' '}
            {applied.to.revision} ({applied.to.image}), but its pods do not
            become available; look at the pods before rolling again.
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {confirming ? (
          <>
            <Button onClick={onClose} disabled={state.loading}>
              Cancel
            </Button>
            <Button
              color="primary"
              variant="contained"
              disabled={state.loading || !chosen}
              onClick={() => rollback()}
            >
              {chosen
                ? `Roll back to revision ${chosen.revision}`
                : 'Roll back'}
            </Button>
          </>
        ) : (
          <Button onClick={onClose} color="primary">
            {applied && !finished ? 'Close (the rollout continues)' : 'Close'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
