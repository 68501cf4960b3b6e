import { WorldState } from '../world/records';
import { RequestContext, Route } from '../github/routing';
import { HistoryWorldState, ServiceHistoryRecord } from './serviceHistories';

/*
 * The services' histories are served by the same REST routes as the seeded repository: a GET
 * naming one of their repositories runs the route over a view of the world in which that
 * repository is the seeded one (its commits, runs, environments and deployments; users, teams
 * and tokens shared). Writes are not offered: those repositories only have a past.
 */

/** The world as one service's repository sees it. */
export function serviceView(
  state: WorldState,
  service: ServiceHistoryRecord,
): WorldState {
  return {
    ...state,
    repository: service.repository,
    commits: service.commits,
    workflows: service.workflows,
    runs: service.runs,
    jobs: [],
    artifacts: [],
    environments: service.environments,
    deployments: service.deployments,
    approvals: [],
    sarifUploads: [],
    analyses: [],
    alerts: [],
  };
}

export function serviceOf(
  ctx: RequestContext,
): ServiceHistoryRecord | undefined {
  const owner = ctx.params.owner?.toLowerCase();
  const repo = ctx.params.repo?.toLowerCase();
  if (!owner || !repo) return undefined;
  return ((ctx.state as HistoryWorldState).serviceHistories ?? []).find(
    service =>
      service.repository.owner.toLowerCase() === owner &&
      service.repository.name.toLowerCase() === repo,
  );
}

/** The routes, answering GETs about the services' repositories from their histories. */
export function withServiceHistories(routes: Route[]): Route[] {
  return routes.map(route =>
    route.method !== 'GET' || !route.path.startsWith('/repos/{owner}/{repo}')
      ? route
      : {
          ...route,
          handler: ctx => {
            const service = serviceOf(ctx);
            return route.handler(
              service
                ? { ...ctx, state: serviceView(ctx.state, service) }
                : ctx,
            );
          },
        },
  );
}
