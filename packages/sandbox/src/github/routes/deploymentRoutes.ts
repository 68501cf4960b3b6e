import { GitHubError, invalidRequest } from '../errors';
import { EnvironmentRecord } from '../../world/records';
import { addEnvironment } from '../../world/repositoryIndex';
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
  jsonBody,
  paginate,
  repositoryRecords,
  requireRepository,
} from '../routing';

const DOCS = 'https://docs.github.com/rest/deployments';

function visibleDeployments(ctx: RequestContext) {
  return repositoryRecords(ctx).deployments.filter(
    d => Date.parse(d.createdAt) <= ctx.now,
  );
}

function findDeployment(ctx: RequestContext) {
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

const ENVIRONMENT_DOCS = `${DOCS}/environments#create-or-update-an-environment`;

/** The protection rules a create-or-update request sets, checked as GitHub checks them. */
function protectionRules(
  ctx: RequestContext,
): Pick<
  EnvironmentRecord,
  'waitTimer' | 'preventSelfReview' | 'reviewers' | 'protectedBranchesOnly'
> {
  const body = jsonBody(ctx, ENVIRONMENT_DOCS);
  const waitTimer = body.wait_timer ?? 0;
  if (
    !Number.isInteger(waitTimer) ||
    (waitTimer as number) < 0 ||
    (waitTimer as number) > 43200
  )
    throw invalidRequest(
      `For 'properties/wait_timer', ${JSON.stringify(
        waitTimer,
      )} is not a valid wait timer.`,
      ENVIRONMENT_DOCS,
    );
  const reviewers = (body.reviewers ?? []) as Array<{
    type?: string;
    id?: number;
  }>;
  if (!Array.isArray(reviewers) || reviewers.length > 6)
    throw invalidRequest(
      'Only up to 6 reviewers can be required.',
      ENVIRONMENT_DOCS,
    );
  const policy = body.deployment_branch_policy as
    | { protected_branches?: boolean; custom_branch_policies?: boolean }
    | null
    | undefined;
  if (policy && policy.protected_branches === policy.custom_branch_policies)
    throw new GitHubError(
      422,
      'Only one of `protected_branches` or `custom_branch_policies` can be set to true.',
      ENVIRONMENT_DOCS,
    );
  if (policy?.custom_branch_policies)
    throw new GitHubError(
      422,
      'Custom deployment branch policies are not served by the sandbox.',
      ENVIRONMENT_DOCS,
    );
  return {
    waitTimer: waitTimer as number,
    preventSelfReview: body.prevent_self_review === true,
    protectedBranchesOnly: Boolean(policy?.protected_branches),
    reviewers: reviewers.map(reviewer => {
      const found =
        reviewer.type === 'Team'
          ? ctx.state.teams.find(team => team.id === reviewer.id)?.slug
          : ctx.state.users.find(user => user.id === reviewer.id)?.login;
      if (!found || (reviewer.type !== 'Team' && reviewer.type !== 'User'))
        throw new GitHubError(
          422,
          `Reviewer ${reviewer.type} ${reviewer.id} does not exist or has no access to the repository.`,
          ENVIRONMENT_DOCS,
        );
      return { type: reviewer.type, name: found };
    }),
  };
}

export const deploymentRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    write: true,
    handler: ctx => {
      const repository = requireRepository(ctx);
      const name = ctx.params.environment_name;
      if (!/^[^/:'"<>|*?\\]{1,255}$/.test(name))
        throw new GitHubError(
          422,
          `Environment name "${name}" is invalid.`,
          ENVIRONMENT_DOCS,
        );
      const rules = protectionRules(ctx);
      const now = new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      let environment = repositoryRecords(ctx).environments.find(
        e => e.name === name,
      );
      if (environment) {
        Object.assign(environment, rules, { updatedAt: now });
      } else {
        ctx.state.sequences.environment += 1;
        environment = {
          id: ctx.state.sequences.environment,
          repositoryId: repository.id,
          name,
          createdAt: now,
          updatedAt: now,
          url: '',
          ...rules,
        };
        addEnvironment(ctx.state, environment);
      }
      return { body: renderEnvironment(ctx, environment) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments',
    handler: ctx => {
      const { environments } = repositoryRecords(ctx);
      const page = paginate(ctx, environments);
      return {
        body: {
          total_count: environments.length,
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
      const environment = repositoryRecords(ctx).environments.find(
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
