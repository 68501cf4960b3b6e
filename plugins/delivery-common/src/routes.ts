import { FindingsFilter } from './types';

/** The plugin id: the backend serves under `/api/delivery`, discovery resolves `delivery`. */
export const DELIVERY_PLUGIN_ID = 'delivery';

/**
 * Route paths relative to the plugin's base URL. Every route is about one catalog entity; the
 * backend resolves its repository from the entity, never from the request.
 *
 * - GET  dashboard: {@link DashboardResponse} (`?runs=` recent runs, default 10, max 50)
 * - GET  runs: {@link RunHistoryResponse} (`?branch=`, `?limit=` default 20, max 100)
 * - GET  run: {@link PipelineRunResponse}
 * - POST rerunFailedJobs: {@link RerunResponse} (201; permission delivery.pipeline.rerun)
 * - GET  findings: {@link FindingsResponse} (`?tool=&severity=&state=&source=` lists, comma
 *   separated or repeated; `?offset=&limit=`)
 * - GET  sonarcloud: {@link SonarCloudResponse}
 * - GET  trend: {@link TrendResponse} (`?runs=` default 10, max 50)
 */
export const DELIVERY_ROUTES = {
  dashboard: '/entities/:kind/:namespace/:name/dashboard',
  runs: '/entities/:kind/:namespace/:name/runs',
  run: '/entities/:kind/:namespace/:name/runs/:runId',
  rerunFailedJobs:
    '/entities/:kind/:namespace/:name/runs/:runId/rerun-failed-jobs',
  findings: '/entities/:kind/:namespace/:name/findings',
  sonarcloud: '/entities/:kind/:namespace/:name/sonarcloud',
  trend: '/entities/:kind/:namespace/:name/trend',
} as const;

export type DeliveryRouteName = keyof typeof DELIVERY_ROUTES;

export interface EntityRouteParams {
  kind: string;
  namespace: string;
  name: string;
}

/** Fills a route's parameters (URL-encoded), e.g. for `${baseUrl}${deliveryPath(...)}`. */
export function deliveryPath(
  route: DeliveryRouteName,
  params: EntityRouteParams & { runId?: number | string },
  query?: Record<string, string | number | string[] | undefined>,
): string {
  const path = DELIVERY_ROUTES[route].replace(
    /:([a-zA-Z]+)/g,
    (_, key: string) => {
      const value = (params as unknown as Record<string, unknown>)[key];
      if (value === undefined || value === '') {
        throw new Error(`deliveryPath(${route}) needs "${key}"`);
      }
      return encodeURIComponent(String(value));
    },
  );
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const encoded = search.toString();
  return encoded ? `${path}?${encoded}` : path;
}

/** The query of the findings route for a filter (plus paging). */
export function findingsQuery(
  filter: FindingsFilter,
  page?: { offset?: number; limit?: number },
): Record<string, string | number | string[] | undefined> {
  return {
    tool: filter.tool,
    severity: filter.severity,
    state: filter.state,
    source: filter.source,
    offset: page?.offset,
    limit: page?.limit,
  };
}
