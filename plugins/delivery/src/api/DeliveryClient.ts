import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  GITHUB_TOKEN_HEADER,
  ApprovalsCountResponse,
  ApprovalsInboxResponse,
  DELIVERY_PLUGIN_ID,
  AuditTrailResponse,
  DashboardResponse,
  DoraResponse,
  HomeResponse,
  LiveProbeResponse,
  OverviewResponse,
  DeliveryQuery,
  DeliveryRouteName,
  DeliveryRouteParams,
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
  deliveryPath,
  findingsQuery,
} from '@internal/plugin-delivery-common';
import {
  AuditTrailQuery,
  DeliveryApi,
  DoraQuery,
  PageRequest,
} from './DeliveryApi';

/** Talks to the delivery backend (`/api/delivery`) with the signed-in user's credentials. */
export class DeliveryClient implements DeliveryApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getDashboard(entity: EntityRouteParams): Promise<DashboardResponse> {
    return this.request('GET', 'dashboard', entity);
  }

  getRuns(
    entity: EntityRouteParams,
    options: { branch?: string; limit?: number } = {},
  ): Promise<RunHistoryResponse> {
    return this.request('GET', 'runs', entity, {
      branch: options.branch,
      limit: options.limit,
    });
  }

  getRun(
    entity: EntityRouteParams,
    runId: number,
  ): Promise<PipelineRunResponse> {
    return this.request('GET', 'run', { ...entity, runId });
  }

  rerunFailedJobs(
    entity: EntityRouteParams,
    runId: number,
  ): Promise<RerunResponse> {
    return this.request('POST', 'rerunFailedJobs', { ...entity, runId });
  }

  getFindings(
    entity: EntityRouteParams,
    filter: FindingsFilter,
    page: PageRequest,
  ): Promise<FindingsResponse> {
    return this.request('GET', 'findings', entity, findingsQuery(filter, page));
  }

  getSonarCloud(entity: EntityRouteParams): Promise<SonarCloudResponse> {
    return this.request('GET', 'sonarcloud', entity);
  }

  getTrend(
    entity: EntityRouteParams,
    options: { runs?: number } = {},
  ): Promise<TrendResponse> {
    return this.request('GET', 'trend', entity, { runs: options.runs });
  }

  getEnvironments(entity: EntityRouteParams): Promise<EnvironmentsResponse> {
    return this.request('GET', 'environments', entity);
  }

  reviewDeployment(
    entity: EntityRouteParams,
    runId: number,
    request: ReviewDeploymentRequest,
    options: { githubToken?: string } = {},
  ): Promise<ReviewDeploymentResponse> {
    return this.request(
      'POST',
      'reviewDeployment',
      { ...entity, runId },
      undefined,
      request,
      githubTokenHeader(options.githubToken),
    );
  }

  getReviewEligibility(
    entity: EntityRouteParams,
    runId: number,
    options: { githubToken?: string } = {},
  ): Promise<ReviewEligibilityResponse> {
    return this.request(
      'GET',
      'reviewEligibility',
      { ...entity, runId },
      undefined,
      undefined,
      githubTokenHeader(options.githubToken),
    );
  }

  rollback(
    entity: EntityRouteParams,
    environment: string,
    request: RollbackRequest,
  ): Promise<RollbackResponse> {
    return this.request(
      'POST',
      'rollback',
      { ...entity, environment },
      undefined,
      request,
    );
  }

  probeLive(
    entity: EntityRouteParams,
    nonce: string,
  ): Promise<LiveProbeResponse> {
    return this.request('POST', 'liveProbe', entity, undefined, { nonce });
  }

  getRollout(
    entity: EntityRouteParams,
    environment: string,
  ): Promise<RolloutStatus> {
    return this.request('GET', 'rollout', {
      ...entity,
      environment,
    });
  }

  getAuditTrail(
    entity: EntityRouteParams,
    query: AuditTrailQuery = {},
  ): Promise<AuditTrailResponse> {
    return this.request('GET', 'audit', entity, {
      environment: query.environment,
      action: query.action,
      limit: query.limit,
      before: query.before,
    });
  }

  getDora(query: DoraQuery): Promise<DoraResponse> {
    return this.request(
      'GET',
      'insightsDora',
      {},
      {
        entityRef: query.entityRef,
        group: query.group,
        days: query.days,
      },
    );
  }

  getOverview(options: { days?: number } = {}): Promise<OverviewResponse> {
    return this.request('GET', 'insightsOverview', {}, { days: options.days });
  }

  getHome(): Promise<HomeResponse> {
    return this.request('GET', 'insightsHome', {});
  }

  getApprovals(
    page: { offset?: number; limit?: number } = {},
  ): Promise<ApprovalsInboxResponse> {
    return this.request('GET', 'approvals', {}, page);
  }

  getApprovalsCount(): Promise<ApprovalsCountResponse> {
    return this.request('GET', 'approvalsCount', {});
  }

  private async request<T, Route extends DeliveryRouteName>(
    method: 'GET' | 'POST',
    route: Route,
    params: DeliveryRouteParams<Route>,
    query?: DeliveryQuery,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(DELIVERY_PLUGIN_ID);
    const response = await this.fetchApi.fetch(
      `${baseUrl}${deliveryPath(route, params, query)}`,
      body === undefined
        ? { method, ...(Object.keys(headers).length ? { headers } : {}) }
        : {
            method,
            headers: { ...headers, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    if (!response.ok) {
      // Keeps the backend's error body (name, message, details.reason) for the error panels.
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/** The person's own GitHub token, sent with a review (or its eligibility) only. */
function githubTokenHeader(token: string | undefined): Record<string, string> {
  return token ? { [GITHUB_TOKEN_HEADER]: token } : {};
}
