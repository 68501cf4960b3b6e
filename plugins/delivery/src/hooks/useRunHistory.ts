import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';

/** The entity's newest pipeline runs on every branch, each with its gate chain. */
export function useRunHistory(limit: number) {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => api.getRuns(params, { limit }), [api, key, limit]);
}
