import { RolloutStatus } from '@internal/plugin-delivery-common';

/**
 * How long a finished rollout took by the cluster's own clock, in seconds: from when it began
 * (or, if later, when the rollback was requested) until it completed. The Progressing condition's
 * lastTransitionTime does not move while the condition stays True across rollouts, so on its own
 * it can date a rollback's rollout weeks back.
 */
export function rolloutSeconds(
  status: RolloutStatus,
  requestedAt?: string,
): number | undefined {
  if (!status.completedAt) return undefined;
  const starts = [status.startedAt, requestedAt]
    .filter((at): at is string => Boolean(at))
    .map(at => Date.parse(at))
    .filter(Number.isFinite);
  if (starts.length === 0) return undefined;
  const seconds = (Date.parse(status.completedAt) - Math.max(...starts)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
