import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';

/** Open findings per tool and severity at each of the default branch's last `runs` runs. */
export function useFindingsTrend(runs: number) {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => api.getTrend(params, { runs }), [api, key, runs]);
}
