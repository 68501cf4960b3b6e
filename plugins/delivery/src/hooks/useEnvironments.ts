import { useApi } from '@backstage/core-plugin-api';
import { EnvironmentsResponse } from '@internal/plugin-delivery-common';
import { useEffect } from 'react';
import { deliveryApiRef } from '../api';
import { SAFETY_NET_POLL_MS, useDeliveryLive } from './useDeliveryLive';
import { useEntityRouteParams } from './useEntityRouteParams';
import { useRefreshableAsync } from './useRefreshableAsync';

/**
 * While a rollout runs, the lanes refresh this often (Kubernetes sends no signals); otherwise every
 * IDLE_POLL_MS, or only as a safety net while live updates reach the page.
 */
const BUSY_POLL_MS = 2000;
const IDLE_POLL_MS = 15000;
const ENVIRONMENT_CHANGES = ['environments'] as const;

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
 * `retry` (after an approval or rollback) fetches again even while a poll is under way. A change
 * signalled by the backend (an approval elsewhere, a webhook) refreshes them at once.
 */
export function useEnvironments() {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  const live = useDeliveryLive(ENVIRONMENT_CHANGES);
  const state = useRefreshableAsync(
    () => api.getEnvironments(params),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, live.version],
  );
  const { value, loading, retry } = state;
  const moving = somethingMoves(value);
  useEffect(() => {
    if (loading) return undefined;
    const idle = live.status === 'live' ? SAFETY_NET_POLL_MS : IDLE_POLL_MS;
    const timer = setTimeout(retry, moving ? BUSY_POLL_MS : idle);
    return () => clearTimeout(timer);
  }, [loading, moving, retry, live.status]);
  return { ...state, live: live.status, idlePollMs: IDLE_POLL_MS };
}
