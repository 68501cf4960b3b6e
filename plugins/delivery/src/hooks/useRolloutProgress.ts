import { useApi } from '@backstage/core-plugin-api';
import { RolloutStatus } from '@internal/plugin-delivery-common';
import { useEffect, useState } from 'react';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';

/**
 * The contract suggests about one poll a second; twice that keeps "rolled back" within the
 * issue's budget (the rollout's own duration + 2 s) with margin: in the browser runs the POST,
 * a 1 s poll and the render already used 1.5-1.9 s of it. Polling lasts only while a rollback's
 * rollout runs, and each poll is one uncached Deployment read.
 */
export const ROLLOUT_POLL_MS = 500;

export function rolloutFinished(status: RolloutStatus | undefined): boolean {
  return status?.phase === 'complete' || status?.phase === 'stalled';
}

/**
 * Follows an environment's rollout from `initial` (the rollback's answer) by polling the rollout
 * route until it completes or stalls. A failed poll keeps the last status and tries again.
 */
export function useRolloutProgress(
  environment: string | undefined,
  initial: RolloutStatus | undefined,
): { status: RolloutStatus | undefined; error: Error | undefined } {
  const api = useApi(deliveryApiRef);
  const { params } = useEntityRouteParams();
  const [status, setStatus] = useState<RolloutStatus | undefined>(initial);
  const [error, setError] = useState<Error>();

  useEffect(() => setStatus(initial), [initial]);

  useEffect(() => {
    if (!environment || !status || rolloutFinished(status)) return undefined;
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const next = await api.getRollout(params, environment);
        if (!cancelled) {
          setError(undefined);
          setStatus(next);
        }
      } catch (e) {
        if (!cancelled) {
          setError(e as Error);
          // A new object, so the effect schedules the next poll.
          setStatus(current => (current ? { ...current } : current));
        }
      }
    }, ROLLOUT_POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, params, environment, status]);

  return { status, error };
}
