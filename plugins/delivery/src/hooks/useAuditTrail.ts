import { useApi } from '@backstage/core-plugin-api';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';
import { useRefreshableAsync } from './useRefreshableAsync';

/** The newest audit entries of the entity (approvals, rejections, rollbacks; allowed or denied). */
export function useAuditTrail(limit: number) {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  return useRefreshableAsync(
    () => api.getAuditTrail(params, { limit }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, limit],
  );
}
