import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../api';
import { useDeliveryLive } from './useDeliveryLive';
import { useEntityRouteParams } from './useEntityRouteParams';

const PIPELINE_CHANGES = ['pipeline'] as const;

/**
 * The entity's newest pipeline runs on every branch, each with its gate chain; refreshed when the
 * backend signals a change to the runs.
 */
export function useRunHistory(limit: number) {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  const live = useDeliveryLive(PIPELINE_CHANGES);
  const state = useAsyncRetry(
    () => api.getRuns(params, { limit }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, limit, live.version],
  );
  return { ...state, live: live.status };
}
