import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { DoraQuery, deliveryApiRef } from '../api';

/** The four keys of a component, group or the organisation. */
export function useDora(query: DoraQuery) {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(
    () => api.getDora(query),
    [api, query.entityRef, query.group, query.days],
  );
}

/** Every service with its delivery summary. */
export function useOverview(days: number) {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(() => api.getOverview({ days }), [api, days]);
}

/** What the home page shows the signed-in person. */
export function useHome() {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(() => api.getHome(), [api]);
}
