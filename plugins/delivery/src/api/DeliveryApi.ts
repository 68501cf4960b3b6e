import { createApiRef } from '@backstage/core-plugin-api';
import {
  ApprovalsCountResponse,
  ApprovalsInboxResponse,
  AuditAction,
  AuditTrailResponse,
  DashboardResponse,
  DoraResponse,
  HomeResponse,
  LiveProbeResponse,
  OverviewResponse,
  EntityRouteParams,
  EnvironmentsResponse,
  FindingsFilter,
  FindingsResponse,
  PipelineRunResponse,
  RerunResponse,
  ReviewDeploymentRequest,
  ReviewDeploymentResponse,
  ReviewEligibilityResponse,
  RollbackRequest,
  RollbackResponse,
  RolloutStatus,
  RunHistoryResponse,
  SonarCloudResponse,
  TrendResponse,
} from '@internal/plugin-delivery-common';

/** One page of a list: `offset` items skipped, at most `limit` returned. */
export interface PageRequest {
  offset: number;
  limit: number;
}

/** Which audit entries to read: newest first, `before` an entry id for the next (older) page. */
export interface AuditTrailQuery {
  environment?: string;
  action?: AuditAction;
  limit?: number;
  before?: number;
}

/** Which components the four keys are about: one, a group's, or (neither) the organisation's. */
export interface DoraQuery {
  entityRef?: string;
  group?: string;
  days?: number;
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

  // Environments, approvals, rollback and the audit trail.
  getEnvironments(entity: EntityRouteParams): Promise<EnvironmentsResponse>;
  /** `githubToken`: the reviewer's own, when reviews are made with it (reviewWith `reviewer`). */
  reviewDeployment(
    entity: EntityRouteParams,
    runId: number,
    request: ReviewDeploymentRequest,
    options?: { githubToken?: string },
  ): Promise<ReviewDeploymentResponse>;
  /**
   * What GitHub and the portal let the signed-in person do with a waiting run, before they try;
   * `githubToken` as for reviewDeployment.
   */
  getReviewEligibility(
    entity: EntityRouteParams,
    runId: number,
    options?: { githubToken?: string },
  ): Promise<ReviewEligibilityResponse>;
  rollback(
    entity: EntityRouteParams,
    environment: string,
    request: RollbackRequest,
  ): Promise<RollbackResponse>;

  /** Asks for a probe signal on the entity's channel, to the caller alone (see useDeliveryLive). */
  probeLive(
    entity: EntityRouteParams,
    nonce: string,
  ): Promise<LiveProbeResponse>;
  getRollout(
    entity: EntityRouteParams,
    environment: string,
  ): Promise<RolloutStatus>;
  getAuditTrail(
    entity: EntityRouteParams,
    query?: AuditTrailQuery,
  ): Promise<AuditTrailResponse>;

  // Insights: the four keys, the overview of every service, and the home page.
  getDora(query: DoraQuery): Promise<DoraResponse>;
  getOverview(options?: { days?: number }): Promise<OverviewResponse>;
  getHome(): Promise<HomeResponse>;

  // The approvals inbox: every waiting deployment the signed-in person may decide.
  getApprovals(page?: {
    offset?: number;
    limit?: number;
  }): Promise<ApprovalsInboxResponse>;
  getApprovalsCount(): Promise<ApprovalsCountResponse>;
}

export const deliveryApiRef = createApiRef<DeliveryApi>({
  id: 'plugin.delivery.service',
});
