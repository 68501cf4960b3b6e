import { useApi } from '@backstage/core-plugin-api';
import { EnvironmentsResponse } from '@internal/plugin-delivery-common';
import { useEffect } from 'react';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';
import { useRefreshableAsync } from './useRefreshableAsync';

/** While a rollout runs, the lanes refresh this often; otherwise every IDLE_POLL_MS. */
const BUSY_POLL_MS = 2000;
const IDLE_POLL_MS = 15000;

function somethingMoves(value: EnvironmentsResponse | undefined): boolean {
  return Boolean(
    value?.environments.some(
      environment =>
        environment.kubernetes?.health === 'progressing' ||
        environment.githubDeployments[0]?.state === 'in_progress' ||
        environment.githubDeployments[0]?.state === 'queued',
    ),
  );
}

/**
 * The entity's environments (Kubernetes + GitHub), refreshed in the background so approvals and
 * rollouts made elsewhere show up; the previous answer stays on screen while a refresh runs.
 * `retry` (after an approval or rollback) fetches again even while a poll is under way.
 */
export function useEnvironments() {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  const state = useRefreshableAsync(
    () => api.getEnvironments(params),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
  const { value, loading, retry } = state;
  const moving = somethingMoves(value);
  useEffect(() => {
    if (loading) return undefined;
    const timer = setTimeout(retry, moving ? BUSY_POLL_MS : IDLE_POLL_MS);
    return () => clearTimeout(timer);
  }, [loading, moving, retry]);
  return state;
}
