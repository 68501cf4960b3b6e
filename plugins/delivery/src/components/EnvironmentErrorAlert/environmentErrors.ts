import { DeliveryErrorDetails } from '@internal/plugin-delivery-common';

/** What went wrong with an approval or rollback, in words a person can act on. */
export interface ErrorExplanation {
  title: string;
  /** What it means and what to do about it. */
  explanation: string;
  /** The backend's own message (for a refused cluster call: the cluster's answer, quoted). */
  detail?: string;
  /** 409s are not failures of the system: someone or something got there first. */
  severity: 'error' | 'warning' | 'info';
}

function bodyOf(error: Error): {
  status?: number;
  message?: string;
  name?: string;
  details?: Partial<DeliveryErrorDetails>;
} {
  const typed = error as {
    statusCode?: number;
    response?: { status?: number };
    body?: {
      error?: { name?: string; message?: string; details?: unknown };
      response?: { statusCode?: number };
    };
  };
  return {
    status:
      typed.statusCode ??
      typed.body?.response?.statusCode ??
      typed.response?.status,
    message: typed.body?.error?.message,
    name: typed.body?.error?.name,
    details: typed.body?.error?.details as
      | Partial<DeliveryErrorDetails>
      | undefined,
  };
}

/** Explains a failed approve/reject or rollback from the backend's `details.reason` and status. */
export function explainEnvironmentError(
  error: Error,
  action: 'review' | 'rollback',
): ErrorExplanation {
  const { status, message, name, details } = bodyOf(error);
  const detail = message ?? error.message;
  const what = action === 'review' ? 'review' : 'rollback';
  switch (details?.reason) {
    case 'not-waiting':
      return {
        severity: 'warning',
        title: 'The run no longer waits for a review',
        explanation:
          'Someone else approved or rejected it, or it was cancelled, since this page loaded. Nothing was sent to GitHub on your behalf; the environments are refreshed.',
        detail,
      };
    case 'revision-changed':
      return {
        severity: 'warning',
        title: 'The Deployment moved on since you looked',
        explanation: `${
          details.currentRevision !== undefined
            ? `Revision ${details.currentRevision} is live now. `
            : ''
        }Nothing was rolled back: check what runs now and choose again.`,
        detail,
      };
    case 'concurrent-change':
      return {
        severity: 'warning',
        title: 'Someone changed the Deployment at the same moment',
        explanation:
          'Another rollback or a deploy was applied between reading and patching the Deployment, so yours was not applied (only one of two simultaneous rollbacks wins). Check what runs now before trying again.',
        detail,
      };
    case 'deployment-paused':
      return {
        severity: 'warning',
        title: 'The Deployment is paused',
        explanation:
          'A paused Deployment does not roll out, so the portal refuses to roll it back (as kubectl rollout undo does). Resume it first: kubectl rollout resume.',
        detail,
      };
    case 'no-previous-revision':
      return {
        severity: 'info',
        title: 'There is nothing to roll back to',
        explanation:
          'The Deployment keeps no earlier revision (its revisionHistoryLimit may be 0).',
        detail,
      };
    case 'unknown-revision':
      return {
        severity: 'warning',
        title: 'That revision no longer exists',
        explanation:
          'Its ReplicaSet was removed (revision history limit) since this page loaded. Choose another revision.',
        detail,
      };
    case 'kubernetes-forbidden':
      return {
        severity: 'error',
        title: 'The cluster refused the portal',
        explanation:
          'Backstage allowed you, but the Kubernetes API server answered 403 Forbidden to the portal’s own service account: it may read this namespace but not patch its Deployments. Nothing changed. The platform team must grant the portal’s service account patch on deployments (apps) in this namespace.',
        detail,
      };
    case 'github-forbidden':
      return {
        severity: 'error',
        title: 'GitHub refused the review',
        explanation:
          'GitHub decides who may review this environment: its required reviewers, and never whoever started the run when it prevents self-review. The message below says whose GitHub identity it refused. Nothing was approved.',
        detail,
      };
    case 'github-token-required':
      return {
        severity: 'warning',
        title: 'Sign in with GitHub to review',
        explanation:
          'Deployments are reviewed here with your own GitHub identity, so that GitHub applies its own rules. Sign in with GitHub and review again; your GitHub token is sent with the review only. Nothing was approved.',
        detail,
      };
    case 'github-token-mismatch':
      return {
        severity: 'error',
        title: 'That GitHub account is not yours',
        explanation:
          'The GitHub token sent with the review belongs to someone else in the catalog. Sign out of GitHub, sign in as yourself and review again. The attempt was recorded; nothing was approved.',
        detail,
      };
    case 'kubernetes-unreachable':
      return {
        severity: 'error',
        title: 'The cluster could not be reached',
        explanation: `Nothing was changed. Try the ${what} again in a moment.`,
        detail,
      };
    case 'github-unavailable':
      return {
        severity: 'error',
        title: 'GitHub could not be reached',
        explanation: `Nothing was changed. Try the ${what} again in a moment.`,
        detail,
      };
    case 'unknown-environment':
    case 'deployment-not-found':
      return {
        severity: 'error',
        title: 'The environment’s Deployment was not found',
        explanation:
          'The entity’s environment configuration names a Deployment the cluster does not have.',
        detail,
      };
    default:
      break;
  }
  if (status === 403 || name === 'NotAllowedError') {
    return {
      severity: 'error',
      title: 'Backstage’s permission policy denied this',
      explanation:
        action === 'review'
          ? 'Approving or rejecting deployments of this entity needs delivery.deployment.approve, which you do not have. The attempt is recorded in the audit trail.'
          : 'Rolling back this entity needs delivery.deployment.rollback, which you do not have. The attempt is recorded in the audit trail.',
      detail,
    };
  }
  if (status === 401) {
    return {
      severity: 'error',
      title: 'You are signed out',
      explanation: 'Sign in again and retry.',
      detail,
    };
  }
  return {
    severity: 'error',
    title: action === 'review' ? 'The review failed' : 'The rollback failed',
    explanation: 'The delivery backend answered with an error.',
    detail,
  };
}
