import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { deliveryPipelineRerunPermission } from '@internal/plugin-delivery-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';

/** Whether the signed-in user may re-run failed jobs of this entity's pipeline runs. */
export function useRerunPermission(): { loading: boolean; allowed: boolean } {
  const { entity } = useEntity();
  const { loading, allowed } = usePermission({
    permission: deliveryPipelineRerunPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  return { loading, allowed };
}

/** Asks the backend to re-run a run's failed jobs; the state holds GitHub's answer or the error. */
export function useRerunFailedJobs() {
  const api = useApi(deliveryApiRef);
  const { params } = useEntityRouteParams();
  return useAsyncFn(
    (runId: number) => api.rerunFailedJobs(params, runId),
    [api, params],
  );
}
