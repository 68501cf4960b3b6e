import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * Why a request failed, in `error.details.reason` of Backstage's standard error body, with the
 * HTTP status every endpoint answers it with.
 */
export const DELIVERY_ERROR_REASONS = {
  /** A parameter or body field is invalid (the message says which). */
  'invalid-request': 400,
  /** The entity has no github.com/project-slug. */
  'missing-annotation': 400,
  /** Its github.com/project-slug is not owner/name. */
  'invalid-annotation': 400,
  /** The entity was not read from the repository it names (nor registered by configuration). */
  'repository-not-bound': 403,
  /** The Namespace's titanic.io/owner is not the entity's owner. */
  'namespace-not-bound': 403,
  /** The portal's cluster credentials may not do it (the cluster's answer quoted). */
  'kubernetes-forbidden': 403,
  /** GitHub refuses the portal's identity, e.g. it is not a required reviewer. */
  'github-forbidden': 403,
  /** Reviews are made with the reviewer's own GitHub identity, and no token of theirs came with the request. */
  'github-token-required': 401,
  /** The GitHub token sent belongs to someone other than the signed-in person. */
  'github-token-mismatch': 401,
  /** Four eyes: the person who started the run may not approve its deployment. */
  'self-review': 403,
  /** The run still waits, but not for that environment (a review or the portal's protection rule). */
  'environment-not-waiting': 400,
  /** GitHub (or SonarCloud) does not know the repository or project, or the token cannot see it. */
  'unknown-repository': 404,
  'unknown-run': 404,
  /** The entity has no such environment. */
  'unknown-environment': 404,
  /** No ReplicaSet of the Deployment has that revision. */
  'unknown-revision': 404,
  /** No such Deployment (or Namespace) in the cluster. */
  'deployment-not-found': 404,
  /** The run is in progress or succeeded. */
  'not-rerunnable': 409,
  /** The run no longer waits for this review. */
  'not-waiting': 409,
  /** The person's approval is already recorded; the environment needs someone else's. */
  'already-approved': 409,
  /** The portal's protection rule for this run and environment was decided already: one decision counts. */
  'already-decided': 409,
  /** Nothing to roll back to. */
  'no-previous-revision': 409,
  /** kubectl refuses too; resume it first. */
  'deployment-paused': 409,
  /** The Deployment moved on since the caller looked (expectedCurrentRevision). */
  'revision-changed': 409,
  /** The Deployment changed between read and patch (resourceVersion). */
  'concurrent-change': 409,
  /** GitHub rate-limits the backend and nothing is cached. */
  'rate-limited': 503,
  /** GitHub or SonarCloud failed and nothing is cached. */
  'upstream-unavailable': 503,
  'github-unavailable': 503,
  'kubernetes-unreachable': 503,
} as const;

export type DeliveryErrorReason = keyof typeof DELIVERY_ERROR_REASONS;

export interface DeliveryErrorDetails {
  reason: DeliveryErrorReason;
  /** For revision-changed, concurrent-change and the other rollback refusals: the revision live now. */
  currentRevision?: number;
  /** For rate limits: when GitHub will answer again. */
  retryAt?: string;
  retryAfterSeconds?: number;
}

/** The error body every delivery endpoint answers failures with. */
export interface DeliveryErrorBody {
  error: {
    /** InputError (400), AuthenticationError (401), NotAllowedError (403), NotFoundError (404), ConflictError (409), ServiceUnavailableError (503) */
    name: string;
    message: string;
    details?: DeliveryErrorDetails;
  };
  request?: { method: string; url: string };
  response: { statusCode: number };
}

/** The @backstage/errors type Backstage's error middleware answers with each status. */
const ERROR_TYPES = {
  400: InputError,
  401: AuthenticationError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
  503: ServiceUnavailableError,
} as const;

/** An error carrying its reason, so it answers with the reason's status. */
export type DeliveryError = Error & { details: DeliveryErrorDetails };

/**
 * The one way the delivery backend fails with a reason: the @backstage/errors error of the
 * reason's HTTP status, with `details` as an own property (Backstage's error middleware serializes
 * own properties, so clients read `error.details.reason` without parsing messages).
 */
export function deliveryError(
  reason: DeliveryErrorReason,
  message: string,
  details: Omit<DeliveryErrorDetails, 'reason'> = {},
): DeliveryError {
  const ErrorType = ERROR_TYPES[DELIVERY_ERROR_REASONS[reason]];
  return Object.assign(new ErrorType(message), {
    details: { reason, ...details },
  });
}

/** The reason an error carries, if it is a delivery error. */
export function reasonOf(error: unknown): DeliveryErrorReason | undefined {
  const reason = (error as { details?: { reason?: unknown } } | undefined)
    ?.details?.reason;
  return typeof reason === 'string' && reason in DELIVERY_ERROR_REASONS
    ? (reason as DeliveryErrorReason)
    : undefined;
}
