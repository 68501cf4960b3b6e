import { ResponseErrorPanel } from '@backstage/core-components';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { DeliveryErrorDetails } from '@internal/plugin-delivery-common';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '../../annotations';
import { formatAge } from '../../format/durations';

/** The delivery-specific details of a backend error, when the error carries them. */
export function deliveryErrorDetails(
  error: Error,
): DeliveryErrorDetails | undefined {
  const body = (error as { body?: { error?: { details?: unknown } } }).body;
  const details = body?.error?.details as DeliveryErrorDetails | undefined;
  return details && typeof details.reason === 'string' ? details : undefined;
}

/**
 * The backend's own words for a failure ("Run 7 is still in progress"); a ResponseError's message
 * only says "Request failed with 409 Conflict".
 */
export function deliveryErrorMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' && message ? message : error.message;
}

/**
 * Explains a failed delivery request: a missing annotation points at the fix, a rate limit says
 * when to come back, anything else shows Backstage's response error panel.
 */
export function DeliveryErrorPanel(props: { error: Error; title?: string }) {
  const { error, title } = props;
  const details = deliveryErrorDetails(error);
  if (
    details?.reason === 'missing-annotation' ||
    details?.reason === 'invalid-annotation'
  ) {
    return (
      <MissingAnnotationEmptyState
        annotation={GITHUB_PROJECT_SLUG_ANNOTATION}
      />
    );
  }
  if (details?.reason === 'rate-limited') {
    let when = ' later';
    if (details.retryAt) {
      when = ` after ${new Date(details.retryAt).toLocaleTimeString()}`;
    } else if (details.retryAfterSeconds) {
      when = ` in ${formatAge(details.retryAfterSeconds)}`;
    }
    return (
      <Alert severity="warning" role="alert">
        <AlertTitle>GitHub is rate-limiting the portal</AlertTitle>
        Nothing is cached for this entity yet. Try again{when}.
      </Alert>
    );
  }
  return <ResponseErrorPanel error={error} title={title} />;
}
