import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';

/** The entity's dashboard: latest default-branch run with its gates, finding counts, SonarCloud. */
export function useDeliveryDashboard() {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => api.getDashboard(params), [api, key]);
}
