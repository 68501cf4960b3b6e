import {
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  TeamRecord,
} from '../../world/records';
import { RenderContext, WEB, nodeId, repoApi, repoWeb } from './renderContext';
import { renderUserByLogin } from './repositoryRepresentations';

/*
 * Environments with their protection rules and reviewers, deployments and their statuses
 * (routes/deploymentRoutes.ts).
 */

export function renderTeam(ctx: RenderContext, team: TeamRecord) {
  const org = ctx.state.repository.owner;
  return {
    id: team.id,
    node_id: nodeId('T', team.id),
    url: `${ctx.apiUrl}/organizations/98765432/team/${team.id}`,
    html_url: `${WEB}/orgs/${org}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: team.description,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'push',
    members_url: `${ctx.apiUrl}/organizations/98765432/team/${team.id}/members{/member}`,
    repositories_url: `${ctx.apiUrl}/organizations/98765432/team/${team.id}/repos`,
    parent: null,
    type: 'organization',
    organization_id: 98765432,
  };
}

export function renderEnvironmentSummary(
  ctx: RenderContext,
  environment: EnvironmentRecord,
) {
  return {
    id: environment.id,
    node_id: nodeId('EN', environment.id),
    name: environment.name,
    url: `${repoApi(ctx)}/environments/${environment.name}`,
    html_url: `${repoWeb(ctx)}/deployments/activity_log?environments_filter=${
      environment.name
    }`,
  };
}

export function renderReviewer(
  ctx: RenderContext,
  reviewer: EnvironmentRecord['reviewers'][number],
) {
  if (reviewer.type === 'Team') {
    const team = ctx.state.teams.find(t => t.slug === reviewer.name)!;
    return { type: 'Team' as const, reviewer: renderTeam(ctx, team) };
  }
  return {
    type: 'User' as const,
    reviewer: renderUserByLogin(ctx, reviewer.name),
  };
}

export function renderEnvironment(
  ctx: RenderContext,
  environment: EnvironmentRecord,
) {
  const rules: Array<Record<string, unknown>> = [];
  if (environment.reviewers.length > 0) {
    rules.push({
      id: environment.id * 10 + 1,
      node_id: nodeId('GA', environment.id * 10 + 1),
      prevent_self_review: environment.preventSelfReview,
      type: 'required_reviewers',
      reviewers: environment.reviewers.map(reviewer =>
        renderReviewer(ctx, reviewer),
      ),
    });
  }
  if (environment.waitTimer > 0) {
    rules.push({
      id: environment.id * 10 + 2,
      node_id: nodeId('GA', environment.id * 10 + 2),
      type: 'wait_timer',
      wait_timer: environment.waitTimer,
    });
  }
  if (environment.protectedBranchesOnly) {
    rules.push({
      id: environment.id * 10 + 3,
      node_id: nodeId('GA', environment.id * 10 + 3),
      type: 'branch_policy',
    });
  }
  return {
    ...renderEnvironmentSummary(ctx, environment),
    created_at: environment.createdAt,
    updated_at: environment.updatedAt,
    protection_rules: rules,
    deployment_branch_policy: environment.protectedBranchesOnly
      ? { protected_branches: true, custom_branch_policies: false }
      : null,
  };
}

function deploymentUrls(ctx: RenderContext, deployment: DeploymentRecord) {
  const api = repoApi(ctx);
  return {
    url: `${api}/deployments/${deployment.id}`,
    statuses_url: `${api}/deployments/${deployment.id}/statuses`,
    repository_url: api,
  };
}

export function renderDeploymentSimple(
  ctx: RenderContext,
  deployment: DeploymentRecord,
) {
  return {
    ...deploymentUrls(ctx, deployment),
    id: deployment.id,
    node_id: nodeId('DE', deployment.id),
    task: deployment.task,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    transient_environment: false,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function renderDeployment(
  ctx: RenderContext,
  deployment: DeploymentRecord,
) {
  return {
    ...deploymentUrls(ctx, deployment),
    id: deployment.id,
    node_id: nodeId('DE', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: renderUserByLogin(ctx, deployment.creatorLogin),
    created_at: deployment.createdAt,
    updated_at:
      visibleStatuses(ctx, deployment).at(-1)?.createdAt ??
      deployment.createdAt,
    transient_environment: false,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

/** Statuses that already happened (live deployments record their future progress up front). */
export function visibleStatuses(
  ctx: RenderContext,
  deployment: DeploymentRecord,
): DeploymentStatusRecord[] {
  return deployment.statuses.filter(
    status => Date.parse(status.createdAt) <= ctx.now,
  );
}

export function renderDeploymentStatus(
  ctx: RenderContext,
  deployment: DeploymentRecord,
  status: DeploymentStatusRecord,
) {
  const api = repoApi(ctx);
  return {
    url: `${api}/deployments/${deployment.id}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DES', status.id),
    // GitHub reports deployments awaiting review as `waiting`, a state its OpenAPI description
    // does not list; the sandbox answers `pending` so clients generated from the schema accept it.
    state: status.state === 'waiting' ? 'pending' : status.state,
    creator: renderUserByLogin(ctx, status.creatorLogin),
    description: status.description,
    environment: deployment.environment,
    target_url: status.logUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: `${api}/deployments/${deployment.id}`,
    repository_url: api,
    ...(status.environmentUrl
      ? { environment_url: status.environmentUrl }
      : {}),
    log_url: status.logUrl,
    performed_via_github_app: null,
  };
}
