import { Link } from '@backstage/core-components';
import {
  githubAuthApiRef,
  identityApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  EntityRouteParams,
  PendingApproval,
  PendingEnvironment,
  ReviewDecision,
} from '@internal/plugin-delivery-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { deliveryApiRef } from '../../api';
import { EnvironmentErrorAlert } from '../EnvironmentErrorAlert';

const MAX_COMMENT = 1000;

function reviewersText(pending: PendingEnvironment): string {
  if (pending.reviewers.length === 0) return 'no required reviewers';
  return pending.reviewers
    .map(r => (r.type === 'Team' ? `team ${r.name}` : r.name))
    .join(', ');
}

/**
 * Approves or rejects a run waiting for review before deploying to an environment, with a
 * comment; GitHub shows the comment after a line naming the Backstage user who decided.
 */
export function ReviewDeploymentDialog(props: {
  open: boolean;
  /** The entity whose deployment this is: its repository and permissions decide. */
  entity: EntityRouteParams;
  /** Whose GitHub identity reviews (EnvironmentsResponse.reviewWith); default the portal's. */
  reviewWith?: 'portal' | 'reviewer';
  approval: PendingApproval;
  /** The waiting environment this dialog reviews (e.g. production). */
  pending: PendingEnvironment;
  onClose: () => void;
  /** Called after GitHub accepted the review (or refused it because nobody waits any more). */
  onReviewed: () => void;
}) {
  const { open, entity, approval, pending, onClose, onReviewed } = props;
  // The portal's own protection rule is answered as its GitHub App, whatever reviewWith says.
  const portalRule = pending.gate === 'protection-rule';
  const ownIdentity = props.reviewWith === 'reviewer' && !portalRule;
  const api = useApi(deliveryApiRef);
  const apis = useApiHolder();
  const [comment, setComment] = useState('');
  const [state, review] = useAsyncFn(
    async (decision: ReviewDecision) => {
      try {
        // The person's own GitHub token, from their GitHub sign-in, for this request only.
        let githubToken: string | undefined;
        if (ownIdentity) {
          // Present wherever the GitHub sign-in is configured; asked for only now.
          const githubAuth = apis.get(githubAuthApiRef);
          if (!githubAuth) {
            throw new Error(
              'Reviews here are made with your own GitHub identity, and this portal has no GitHub sign-in configured',
            );
          }
          githubToken = await githubAuth.getAccessToken(['repo']);
        }
        return await api.reviewDeployment(
          entity,
          approval.runId,
          {
            decision,
            environments: [pending.githubEnvironment],
            comment: comment.trim() || undefined,
          },
          ...(githubToken ? [{ githubToken }] : []),
        );
      } finally {
        onReviewed();
      }
    },
    [
      api,
      apis,
      ownIdentity,
      entity,
      approval.runId,
      pending.githubEnvironment,
      comment,
    ],
  );
  const environmentName = pending.environment ?? pending.githubEnvironment;
  const done = Boolean(state.value);
  // Four eyes: whoever started the run may reject it, never approve it (the backend refuses too).
  const identity = useApi(identityApiRef);
  const { value: me } = useAsync(
    async () => (await identity.getBackstageIdentity()).userEntityRef,
    [identity],
  );
  const startedIt =
    me !== undefined && approval.requestedBy.userRefs.includes(me);
  // Several distinct people must approve: the portal records each until the last one needed.
  const approvedIt =
    me !== undefined && pending.approvedBy.some(v => v.userEntityRef === me);
  const awaited = state.value?.awaitingApprovals ?? [];
  // What GitHub answers for whoever would review (`current_user_can_approve`), asked on open:
  // in reviewer mode only with a GitHub session the person already has, never a sign-in pop-up.
  const { kind, namespace, name } = entity;
  const { value: eligibility } = useAsync(async () => {
    if (!open || portalRule) return undefined;
    try {
      let githubToken: string | undefined;
      if (ownIdentity) {
        githubToken =
          (await apis
            .get(githubAuthApiRef)
            ?.getAccessToken(['repo'], { optional: true })) || undefined;
        if (!githubToken) return undefined;
      }
      return await api.getReviewEligibility(
        { kind, namespace, name },
        approval.runId,
        githubToken ? { githubToken } : {},
      );
    } catch {
      // The review itself says why, if it comes to that.
      return undefined;
    }
  }, [
    open,
    portalRule,
    ownIdentity,
    api,
    apis,
    kind,
    namespace,
    name,
    approval.runId,
  ]);
  const eligible = eligibility?.environments.find(
    e => e.githubEnvironment === pending.githubEnvironment,
  );
  const githubRefuses =
    eligible !== undefined && !eligible.canApprove && !startedIt && !approvedIt;
  // An approval short of the required count is recorded; the one completing it deploys.
  const deploysNow = pending.approvedBy.length + 1 >= pending.approvalsRequired;
  let approveRefusedBecause: string | undefined;
  if (startedIt) {
    approveRefusedBecause =
      'You started this deployment — someone else must approve it';
  } else if (approvedIt) {
    approveRefusedBecause =
      'Your approval is recorded — someone else must approve it too';
  } else if (githubRefuses) {
    approveRefusedBecause = eligible.reason ?? undefined;
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="review-deployment-title"
    >
      <DialogTitle id="review-deployment-title">
        Review the deployment to {environmentName}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body1" gutterBottom>
          Run <Link to={approval.htmlUrl}>#{approval.runNumber}</Link> of{' '}
          {approval.runName} ({approval.branch} @ {approval.headSha.slice(0, 7)}
          ){' '}
          {done
            ? `was reviewed for ${pending.githubEnvironment}.`
            : `waits for a review before deploying to ${pending.githubEnvironment}.`}
        </Typography>
        {portalRule ? (
          <Typography
            variant="body2"
            color="textSecondary"
            gutterBottom
            data-testid="portal-rule"
          >
            The portal’s own protection rule holds this deployment: your
            decision is answered as the Titanic Portal GitHub App. GitHub
            records the Titanic Portal app; the portal’s audit records you.
          </Typography>
        ) : (
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Required reviewers: {reviewersText(pending)}
            {pending.waitTimerMinutes > 0
              ? ` · wait timer ${pending.waitTimerMinutes} min`
              : ''}
            .{' '}
            {ownIdentity
              ? 'You review with your own GitHub identity: GitHub applies its required reviewers and prevent-self-review.'
              : 'The portal reviews with its own GitHub identity and names you in the comment.'}
          </Typography>
        )}
        {pending.approvalsRequired > 1 && !done && (
          <Alert
            severity="info"
            style={{ marginTop: 8 }}
            data-testid="approvals-required"
          >
            {environmentName} needs approvals from {pending.approvalsRequired}{' '}
            different people before it deploys:{' '}
            {pending.approvedBy.length === 0
              ? 'none given yet.'
              : `${pending.approvedBy.length} given (${pending.approvedBy
                  .map(v => v.displayName ?? v.userEntityRef)
                  .join(', ')}).`}
            {approvedIt
              ? ' Your approval is recorded — someone else must approve it too.'
              : ''}
          </Alert>
        )}
        {githubRefuses && !done && (
          <Alert
            severity="warning"
            style={{ marginTop: 8 }}
            data-testid="eligibility"
          >
            {eligible.reason}.
            {eligible.canReject ? '' : ' You may not reject it either.'}
          </Alert>
        )}
        {!ownIdentity && !pending.portalCanReview && !eligible && (
          <Alert severity="warning" style={{ marginTop: 8 }}>
            GitHub does not list the portal’s identity as a reviewer of{' '}
            {pending.githubEnvironment}; the review will probably be refused.
          </Alert>
        )}
        {startedIt && !done && (
          <Alert
            severity="info"
            style={{ marginTop: 8 }}
            data-testid="four-eyes"
          >
            You started this deployment
            {approval.requestedBy.login
              ? ` (as ${approval.requestedBy.login} on GitHub)`
              : ''}{' '}
            — someone else must approve it. You may still reject it.
          </Alert>
        )}
        {!done && (
          <TextField
            id="review-deployment-comment"
            label="Comment"
            helperText="Shown on GitHub after your name, e.g. why you approve or reject."
            multiline
            minRows={3}
            fullWidth
            margin="normal"
            variant="outlined"
            value={comment}
            inputProps={{ maxLength: MAX_COMMENT }}
            onChange={event => setComment(event.target.value)}
            disabled={state.loading}
          />
        )}
        {state.error && (
          <EnvironmentErrorAlert error={state.error} action="review" />
        )}
        {state.value && awaited.length > 0 && (
          <Alert severity="success" data-testid="review-result">
            Your approval of run #{approval.runNumber} is recorded:{' '}
            {awaited
              .map(
                a =>
                  `${a.approvedBy.length} of ${a.approvalsRequired} for ${a.githubEnvironment}`,
              )
              .join(', ')}
            . It deploys once {awaited[0].approvalsRequired} different people
            approved it.
          </Alert>
        )}
        {state.value && awaited.length === 0 && (
          <Alert severity="success" data-testid="review-result">
            {state.value.decision === 'approve' ? 'Approved' : 'Rejected'} run #
            {approval.runNumber} for {state.value.environments.join(', ')} as{' '}
            {state.value.reviewer.displayName ??
              state.value.reviewer.userEntityRef}
            . The run is {state.value.runStatus.replace('_', ' ')}
            {state.value.decision === 'approve'
              ? ': GitHub starts the deploy job.'
              : ': the deploy job will not run.'}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {done ? (
          <Button onClick={onClose} color="primary" variant="contained">
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={state.loading}>
              Cancel
            </Button>
            <Button
              onClick={() => review('reject')}
              disabled={state.loading || eligible?.canReject === false}
              color="secondary"
              variant="outlined"
            >
              Reject
            </Button>
            <Button
              onClick={() => review('approve')}
              disabled={
                state.loading ||
                startedIt ||
                approvedIt ||
                eligible?.canApprove === false
              }
              title={approveRefusedBecause}
              color="primary"
              variant="contained"
            >
              {deploysNow
                ? 'Approve and deploy'
                : `Approve (${pending.approvedBy.length + 1} of ${
                    pending.approvalsRequired
                  })`}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
