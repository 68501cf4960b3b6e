import { GitHubError } from '../errors';
import {
  renderDeployment,
  renderDeploymentStatus,
  renderEnvironment,
  visibleStatuses,
} from '../representations/deploymentRepresentations';
import {
  RequestContext,
  Route,
  integerParam,
  paginate,
  isHostedRepository,
  requireRepository,
} from '../routing';

const DOCS = 'https://docs.github.com/rest/deployments';

function visibleDeployments(ctx: RequestContext) {
  return ctx.state.deployments.filter(d => Date.parse(d.createdAt) <= ctx.now);
}

function findDeployment(ctx: RequestContext) {
  requireRepository(ctx);
  const id = integerParam(ctx, 'deployment_id');
  const deployment = visibleDeployments(ctx).find(d => d.id === id);
  if (!deployment)
    throw new GitHubError(
      404,
      'Not Found',
      `${DOCS}/deployments#get-a-deployment`,
    );
  return deployment;
}

export const deploymentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments',
    handler: ctx => {
      if (isHostedRepository(ctx))
        return { body: { total_count: 0, environments: [] } };
      requireRepository(ctx);
      const page = paginate(ctx, ctx.state.environments);
      return {
        body: {
          total_count: ctx.state.environments.length,
          environments: page.items.map(e => renderEnvironment(ctx, e)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    handler: ctx => {
      requireRepository(ctx);
      const environment = ctx.state.environments.find(
        e => e.name === ctx.params.environment_name,
      );
      if (!environment)
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}/environments#get-an-environment`,
        );
      return { body: renderEnvironment(ctx, environment) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments',
    handler: ctx => {
      if (isHostedRepository(ctx)) return { body: [] };
      requireRepository(ctx);
      const sha = ctx.query.get('sha');
      const ref = ctx.query.get('ref');
      const task = ctx.query.get('task');
      const environment = ctx.query.get('environment');
      const deployments = visibleDeployments(ctx)
        .filter(d => !sha || d.sha === sha)
        .filter(d => !ref || d.ref === ref || d.sha === ref)
        .filter(d => !task || d.task === task)
        .filter(d => !environment || d.environment === environment)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
      const page = paginate(ctx, deployments);
      return {
        body: page.items.map(d => renderDeployment(ctx, d)),
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}',
    handler: ctx => ({ body: renderDeployment(ctx, findDeployment(ctx)) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    handler: ctx => {
      const deployment = findDeployment(ctx);
      const statuses = [...visibleStatuses(ctx, deployment)].reverse();
      const page = paginate(ctx, statuses);
      return {
        body: page.items.map(s => renderDeploymentStatus(ctx, deployment, s)),
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}',
    handler: ctx => {
      const deployment = findDeployment(ctx);
      const id = integerParam(ctx, 'status_id');
      const status = visibleStatuses(ctx, deployment).find(s => s.id === id);
      if (!status)
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}/statuses#get-a-deployment-status`,
        );
      return { body: renderDeploymentStatus(ctx, deployment, status) };
    },
  },
];
