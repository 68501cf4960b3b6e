import { FindingsFilter } from './findings';

/**
 * The header a review request carries the reviewer's own GitHub token in, when reviews are made
 * with it (EnvironmentsResponse.reviewWith is `reviewer`).
 */
export const GITHUB_TOKEN_HEADER = 'x-github-token';

/** The plugin id: the backend serves under `/api/delivery`, discovery resolves `delivery`. */
export const DELIVERY_PLUGIN_ID = 'delivery';

/**
 * Every route of the delivery API, relative to the plugin's base URL. Each is about one catalog
 * entity: the backend resolves its repository, namespaces and SonarCloud project from the entity,
 * never from the request. `:environment` is an environment's name (`dev`, `staging`, `prod`), never
 * a namespace.
 *
 * Pipeline and findings:
 * - GET  dashboard: {@link DashboardResponse} (`?runs=` recent runs, default 10, max 50)
 * - GET  runs: {@link RunHistoryResponse} (`?branch=`, `?limit=` default 20, max 100)
 * - GET  run: {@link PipelineRunResponse}
 * - POST rerunFailedJobs: {@link RerunResponse} (201; permission delivery.pipeline.rerun)
 * - GET  findings: {@link FindingsResponse} (`?tool=&severity=&state=&source=` lists, comma
 *   separated or repeated; `?offset=&limit=`)
 * - GET  sonarcloud: {@link SonarCloudResponse}
 * - GET  trend: {@link TrendResponse} (`?runs=` default 10, max 50)
 *
 * Environments:
 * - GET  environments: {@link EnvironmentsResponse}
 * - POST reviewDeployment: body {@link ReviewDeploymentRequest}, answers {@link ReviewDeploymentResponse}
 *   (permission delivery.deployment.approve; 409 when the run no longer waits, 400
 *   environment-not-waiting when it waits on other environments; with reviewWith `reviewer`, the
 *   person's GitHub token in the {@link GITHUB_TOKEN_HEADER} header: 401 without it or with
 *   someone else's, 403 when GitHub refuses them). A run held by the portal's own protection
 *   rule (PendingEnvironment.gate `protection-rule`) is answered as the portal's GitHub App: 409
 *   already-decided when it was decided before, 400 environment-not-waiting for an environment the
 *   rule does not hold
 * - GET  reviewEligibility: {@link ReviewEligibilityResponse} (people only; with reviewWith
 *   `reviewer`, the person's GitHub token in the {@link GITHUB_TOKEN_HEADER} header, as for a
 *   review: what GitHub answers that identity decides)
 * - POST rollback: body {@link RollbackRequest}, answers {@link RollbackResponse} (202 when a rollback
 *   was applied, 200 for a no-op such as "already at revision N"; 409 when the Deployment changed
 *   meanwhile; permission delivery.deployment.rollback)
 * - GET  rollout: {@link RolloutStatus} of the environment's Deployment; poll it (about every second)
 *   after a rollback until `phase` is `complete` or `stalled`
 * - GET  audit: {@link AuditTrailResponse} (`?environment=` to filter, `?action=`, `?limit=` default
 *   50, max 500, `?before=` an entry id for paging, newest first)
 *
 * Live updates:
 * - POST liveProbe: body {@link LiveProbeRequest}, answers {@link LiveProbeResponse} (202; people
 *   only); the probe signal arrives on {@link deliveryChannel} of the entity
 *
 * Insights (insights.ts; not about one entity: the scope is in the query):
 * - GET  insightsDora: {@link DoraResponse}: `?entityRef=<ref>` (a component) or `?group=<ref>` (the
 *   components a group owns) or neither (the organisation), `?days=` 7, 30 or 90 (default 30).
 *   400 invalid-request for both refs, a malformed ref or another window; 404 for an unknown
 *   entity; 403 without delivery.read on the component (group and organisation figures count only
 *   the components the caller may read).
 * - GET  insightsOverview: {@link OverviewResponse} (`?days=` as above): every component the caller
 *   may read, with owner, last deploy, gate pass rate, critical findings and DORA level
 * - GET  insightsHome: {@link HomeResponse}: what the signed-in person should look at (people only)
 *
 * Approvals inbox (approvals.ts; people only):
 * - GET  approvals: {@link ApprovalsInboxResponse}: every waiting deployment the signed-in person may
 *   decide, oldest wait first (`?offset=` default 0, `?limit=` default 25, max 100); decide one
 *   through reviewDeployment of its entity
 * - GET  approvalsCount: {@link ApprovalsCountResponse}: how many there are, for a badge
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
  environments: '/entities/:kind/:namespace/:name/environments',
  reviewDeployment: '/entities/:kind/:namespace/:name/runs/:runId/review',
  reviewEligibility:
    '/entities/:kind/:namespace/:name/runs/:runId/review-eligibility',
  rollback:
    '/entities/:kind/:namespace/:name/environments/:environment/rollback',
  rollout: '/entities/:kind/:namespace/:name/environments/:environment/rollout',
  audit: '/entities/:kind/:namespace/:name/audit',
  liveProbe: '/entities/:kind/:namespace/:name/live/probe',
  insightsDora: '/insights/dora',
  insightsOverview: '/insights/overview',
  insightsHome: '/insights/home',
  approvals: '/approvals',
  approvalsCount: '/approvals/count',
} as const;

export type DeliveryRouteName = keyof typeof DELIVERY_ROUTES;

export interface EntityRouteParams {
  kind: string;
  namespace: string;
  name: string;
}

/** The `:parameter` names of a path. */
type PathParameters<Path extends string> =
  Path extends `${string}:${infer Name}/${infer Rest}`
    ? Name | PathParameters<`/${Rest}`>
    : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/** What a route's path needs: the entity, plus `runId` or `environment` where the route has them. */
export type DeliveryRouteParams<Route extends DeliveryRouteName> = Record<
  PathParameters<(typeof DELIVERY_ROUTES)[Route]>,
  string | number
>;

/** Query values; undefined, empty strings and empty lists are left out, lists are joined with commas. */
export type DeliveryQuery = Record<
  string,
  string | number | readonly string[] | undefined
>;

/** Fills a route's parameters (URL-encoded) and appends its query, e.g. for `${baseUrl}${deliveryPath(...)}`. */
export function deliveryPath<Route extends DeliveryRouteName>(
  route: Route,
  params: DeliveryRouteParams<Route>,
  query: DeliveryQuery = {},
): string {
  const path = DELIVERY_ROUTES[route].replace(
    /:([a-zA-Z]+)/g,
    (_, key: string) => {
      const value = (params as Record<string, unknown>)[key];
      if (value === undefined || value === '') {
        throw new Error(`deliveryPath(${route}) needs "${key}"`);
      }
      return encodeURIComponent(String(value));
    },
  );
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const text = Array.isArray(value) ? value.join(',') : value;
    if (text !== undefined && text !== '') search.set(key, String(text));
  }
  const encoded = search.toString();
  return encoded ? `${path}?${encoded}` : path;
}

/** The query of the findings route for a filter (plus paging). */
export function findingsQuery(
  filter: FindingsFilter,
  page?: { offset?: number; limit?: number },
): DeliveryQuery {
  return {
    tool: filter.tool,
    severity: filter.severity,
    state: filter.state,
    source: filter.source,
    offset: page?.offset,
    limit: page?.limit,
  };
}
