import { DeliveryError, deliveryError } from '@internal/plugin-delivery-common';
import { Reviewer } from './reviewerIdentity';

/*
 * How a review is refused, in the words every way of reviewing uses: four eyes, and GitHub's
 * refusals as the API's reasons, naming whose identity GitHub refused.
 */

interface HttpErrorLike {
  status?: number;
  message?: string;
}

/** Whose GitHub identity a review uses, as refusals name it. */
export function identityOf(as: Reviewer | undefined): string {
  return as
    ? `your GitHub identity (${as.login})`
    : "the portal's GitHub identity";
}

/** Four eyes' reason, wherever the person who started a run asks to approve it. */
export function startedByYou(runId: number, login: string | null): string {
  return `You started this deployment (run ${runId} was started by ${login} on GitHub) — someone else must approve it`;
}

/** GitHub's refusal as our error: "no pending deployment" is 409, "not a reviewer" names whose identity GitHub refused. */
export function githubFailure(
  error: unknown,
  what: string,
  identity: string,
): DeliveryError {
  const { status, message = String(error) } = (error ?? {}) as HttpErrorLike;
  if (status === 422 && /no pending deployment/i.test(message)) {
    return deliveryError(
      'not-waiting',
      `Could not ${what}: it is no longer waiting (${message})`,
    );
  }
  if (status === 404) {
    return deliveryError(
      'not-waiting',
      `Could not ${what}: GitHub does not know it (${message})`,
    );
  }
  if (
    status === 401 ||
    status === 403 ||
    (status === 422 && /reviewer/i.test(message))
  ) {
    return deliveryError(
      'github-forbidden',
      `GitHub does not let ${identity} ${what}: ${message}`,
    );
  }
  if (status === 400 || status === 422) {
    return deliveryError(
      'invalid-request',
      `GitHub refused to ${what}: ${message}`,
    );
  }
  return deliveryError(
    'github-unavailable',
    `GitHub failed to ${what} (${status ?? 'no answer'}): ${message}`,
  );
}
