import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DELIVERY_PLUGIN_ID,
  DashboardResponse,
  DeliveryRouteName,
  EntityRouteParams,
  FindingsFilter,
  FindingsResponse,
  PipelineRunResponse,
  RerunResponse,
  RunHistoryResponse,
  SonarCloudResponse,
  TrendResponse,
  deliveryPath,
  findingsQuery,
} from '@internal/plugin-delivery-common';
import { DeliveryApi, PageRequest } from './DeliveryApi';

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

  private async request<T>(
    method: 'GET' | 'POST',
    route: DeliveryRouteName,
    params: EntityRouteParams & { runId?: number },
    query?: Parameters<typeof deliveryPath>[2],
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(DELIVERY_PLUGIN_ID);
    const response = await this.fetchApi.fetch(
      `${baseUrl}${deliveryPath(route, params, query)}`,
      { method },
    );
    if (!response.ok) {
      // Keeps the backend's error body (name, message, details.reason) for the error panels.
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
