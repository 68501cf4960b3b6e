import { appsOf } from '../../world/appSeed';
import { EnvironmentRecord } from '../../world/records';
import { GitHubError, invalidRequest } from '../errors';
import {
  renderProtectionRule,
  renderRuleApp,
} from '../representations/appRepresentations';
import {
  RequestContext,
  Route,
  integerParam,
  jsonBody,
  repositoryRecords,
  requireRepository,
} from '../routing';
import { findRun } from './actionsRoutes';

/*
 * Custom deployment protection rules: the Apps an environment may enable (those installed on
 * the repository's owner), enabling and disabling them (owners only, as repository admins), and
 * the App's answer to a run waiting on its rule (its installation token only).
 */

const DOCS = 'https://docs.github.com/rest/deployments/protection-rules';
const CALLBACK_DOCS =
  'https://docs.github.com/rest/actions/workflow-runs#review-custom-deployment-protection-rules-for-a-workflow-run';
const BASE =
  '/repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules';

function environmentOf(ctx: RequestContext): EnvironmentRecord {
  const environment = repositoryRecords(ctx).environments.find(
    e => e.name === ctx.params.environment_name,
  );
  if (!environment) throw new GitHubError(404, 'Not Found', DOCS);
  return environment;
}

/** Only the organisation's owners administer its repositories' environments here. */
function requireAdmin(ctx: RequestContext): void {
  const repository = requireRepository(ctx);
  const admin = ctx.state.organizationMembers.some(
    member => member.role === 'ADMIN' && member.login === ctx.user?.login,
  );
  const ownRepository = ctx.user?.login === repository.owner;
  if (!admin && !ownRepository)
    throw new GitHubError(403, 'Must have admin rights to Repository.', DOCS);
}

/** The Apps installed on the repository's owner: the ones its environments may enable. */
function installedApps(ctx: RequestContext) {
  const owner = requireRepository(ctx).owner.toLowerCase();
  const apps = appsOf(ctx.state);
  return apps.apps.filter(app =>
    apps.installations.some(
      i => i.appId === app.id && i.accountLogin.toLowerCase() === owner,
    ),
  );
}

function rulesOf(ctx: RequestContext, environment: EnvironmentRecord) {
  const apps = appsOf(ctx.state);
  return apps.protectionRules
    .filter(rule => rule.environmentId === environment.id)
    .map(rule =>
      renderProtectionRule(
        ctx,
        rule,
        apps.apps.find(app => app.id === rule.appId)!,
      ),
    );
}

function ruleOf(ctx: RequestContext, environment: EnvironmentRecord) {
  const id = integerParam(ctx, 'protection_rule_id');
  const rule = appsOf(ctx.state).protectionRules.find(
    r => r.id === id && r.environmentId === environment.id,
  );
  if (!rule) throw new GitHubError(404, 'Not Found', DOCS);
  return rule;
}

export const protectionRuleRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/apps`,
    handler: ctx => {
      environmentOf(ctx);
      const available = installedApps(ctx);
      return {
        body: {
          total_count: available.length,
          available_custom_deployment_protection_rule_integrations:
            available.map(app => renderRuleApp(ctx, app)),
        },
      };
    },
  },
  {
    method: 'GET',
    path: BASE,
    handler: ctx => {
      const rules = rulesOf(ctx, environmentOf(ctx));
      return {
        body: {
          total_count: rules.length,
          custom_deployment_protection_rules: rules,
        },
      };
    },
  },
  {
    method: 'POST',
    path: BASE,
    write: true,
    handler: ctx => {
      const environment = environmentOf(ctx);
      requireAdmin(ctx);
      const docs = `${DOCS}#create-a-custom-deployment-protection-rule-on-an-environment`;
      const { integration_id: integrationId } = jsonBody(ctx, docs);
      if (!Number.isInteger(integrationId))
        throw invalidRequest(
          `For 'properties/integration_id', ${JSON.stringify(
            integrationId,
          )} is not an integer.`,
          docs,
        );
      const app = installedApps(ctx).find(a => a.id === integrationId);
      if (!app)
        throw new GitHubError(
          422,
          `Integration ${integrationId} is not installed on this repository's owner.`,
          docs,
        );
      const apps = appsOf(ctx.state);
      if (
        apps.protectionRules.some(
          r => r.environmentId === environment.id && r.appId === app.id,
        )
      )
        throw new GitHubError(
          422,
          'This integration is already enabled on the environment.',
          docs,
        );
      apps.sequences.protectionRule += 1;
      const rule = {
        id: apps.sequences.protectionRule,
        environmentId: environment.id,
        appId: app.id,
        enabled: true,
      };
      apps.protectionRules.push(rule);
      return { status: 201, body: renderProtectionRule(ctx, rule, app) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/{protection_rule_id}`,
    handler: ctx => {
      const rule = ruleOf(ctx, environmentOf(ctx));
      const app = appsOf(ctx.state).apps.find(a => a.id === rule.appId)!;
      return { body: renderProtectionRule(ctx, rule, app) };
    },
  },
  {
    method: 'DELETE',
    path: `${BASE}/{protection_rule_id}`,
    write: true,
    handler: ctx => {
      const rule = ruleOf(ctx, environmentOf(ctx));
      requireAdmin(ctx);
      const apps = appsOf(ctx.state);
      apps.protectionRules = apps.protectionRules.filter(r => r !== rule);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule',
    write: true,
    handler: ctx => {
      const installationId = ctx.token?.installationId;
      if (installationId === undefined)
        throw new GitHubError(
          403,
          'Resource not accessible by personal access token',
          CALLBACK_DOCS,
        );
      const installed = appsOf(ctx.state).installations.some(
        i =>
          i.id === installationId &&
          i.accountLogin.toLowerCase() === ctx.params.owner.toLowerCase(),
      );
      if (!installed) throw new GitHubError(404, 'Not Found', CALLBACK_DOCS);
      const run = findRun(ctx);
      const body = jsonBody(ctx, CALLBACK_DOCS);
      if (typeof body.environment_name !== 'string')
        throw invalidRequest(
          `"environment_name" wasn't supplied.`,
          CALLBACK_DOCS,
        );
      if (body.state !== 'approved' && body.state !== 'rejected')
        throw invalidRequest(
          `For 'properties/state', ${JSON.stringify(
            body.state,
          )} is not a possible value.`,
          CALLBACK_DOCS,
        );
      if (body.comment !== undefined && typeof body.comment !== 'string')
        throw invalidRequest(
          `For 'properties/comment', ${JSON.stringify(
            body.comment,
          )} is not a string.`,
          CALLBACK_DOCS,
        );
      ctx.protectionRules.decide(
        run,
        installationId,
        body.environment_name,
        body.state,
        (body.comment as string | undefined) ?? '',
        ctx.now,
      );
      return { status: 204 };
    },
  },
];
