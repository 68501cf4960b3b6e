import { RolloutStatus } from '@internal/plugin-delivery-common';

/** How long a finished rollout took by the cluster's own clock, in seconds. */
export function rolloutSeconds(status: RolloutStatus): number | undefined {
  if (!status.startedAt || !status.completedAt) return undefined;
  const seconds =
    (Date.parse(status.completedAt) - Date.parse(status.startedAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
