import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../api';
import { useDeliveryLive } from './useDeliveryLive';
import { useEntityRouteParams } from './useEntityRouteParams';

const DASHBOARD_CHANGES = ['pipeline', 'findings'] as const;

/**
 * The entity's dashboard: latest default-branch run with its gates, finding counts, SonarCloud;
 * refreshed when the backend signals a change to runs or findings.
 */
export function useDeliveryDashboard() {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  const { version } = useDeliveryLive(DASHBOARD_CHANGES);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => api.getDashboard(params), [api, key, version]);
}
