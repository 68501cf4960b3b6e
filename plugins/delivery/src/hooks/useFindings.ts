import { useApi } from '@backstage/core-plugin-api';
import { FindingsFilter } from '@internal/plugin-delivery-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { PageRequest, deliveryApiRef } from '../api';
import { useDeliveryLive } from './useDeliveryLive';
import { useEntityRouteParams } from './useEntityRouteParams';

const FINDINGS_CHANGES = ['findings'] as const;

/**
 * One page of the entity's findings for a filter. The previous page stays in `value` while the
 * next one loads, so the table does not collapse between pages. A new alert signalled by the
 * backend refreshes it.
 */
export function useFindings(filter: FindingsFilter, page: PageRequest) {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  const filterKey = JSON.stringify(filter);
  const { version } = useDeliveryLive(FINDINGS_CHANGES);
  return useAsyncRetry(
    () => api.getFindings(params, filter, page),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, filterKey, page.offset, page.limit, version],
  );
}
