import { useApi } from '@backstage/core-plugin-api';
import { deliveryApiRef } from '../api';
import { useDeliveryLive } from './useDeliveryLive';
import { useEntityRouteParams } from './useEntityRouteParams';
import { useRefreshableAsync } from './useRefreshableAsync';

const AUDIT_CHANGES = ['audit'] as const;

/**
 * The newest audit entries of the entity (approvals, rejections, rollbacks; allowed or denied),
 * refreshed when the backend signals a new one.
 */
export function useAuditTrail(limit: number) {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  const { version } = useDeliveryLive(AUDIT_CHANGES);
  return useRefreshableAsync(
    () => api.getAuditTrail(params, { limit }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, limit, version],
  );
}
