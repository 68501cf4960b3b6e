import { createApiRef } from '@backstage/core-plugin-api';
import {
  DashboardResponse,
  EntityRouteParams,
  FindingsFilter,
  FindingsResponse,
  PipelineRunResponse,
  RerunResponse,
  RunHistoryResponse,
  SonarCloudResponse,
  TrendResponse,
} from '@internal/plugin-delivery-common';

/** One page of a list: `offset` items skipped, at most `limit` returned. */
export interface PageRequest {
  offset: number;
  limit: number;
}

/**
 * The delivery backend as the frontend sees it: one method per REST route of
 * `@internal/plugin-delivery-common`, every one about a single catalog entity.
 */
export interface DeliveryApi {
  getDashboard(entity: EntityRouteParams): Promise<DashboardResponse>;
  getRuns(
    entity: EntityRouteParams,
    options?: { branch?: string; limit?: number },
  ): Promise<RunHistoryResponse>;
  getRun(
    entity: EntityRouteParams,
    runId: number,
  ): Promise<PipelineRunResponse>;
  rerunFailedJobs(
    entity: EntityRouteParams,
    runId: number,
  ): Promise<RerunResponse>;
  getFindings(
    entity: EntityRouteParams,
    filter: FindingsFilter,
    page: PageRequest,
  ): Promise<FindingsResponse>;
  getSonarCloud(entity: EntityRouteParams): Promise<SonarCloudResponse>;
  getTrend(
    entity: EntityRouteParams,
    options?: { runs?: number },
  ): Promise<TrendResponse>;
}

export const deliveryApiRef = createApiRef<DeliveryApi>({
  id: 'plugin.delivery.service',
});
