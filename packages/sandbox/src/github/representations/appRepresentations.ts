import {
  AppInstallationRecord,
  DeploymentProtectionRuleRecord,
  GitHubAppRecord,
  TokenRecord,
} from '../../world/records';
import { RenderContext, WEB, nodeId } from './renderContext';
import { findUser, renderUser } from './repositoryRepresentations';

/*
 * GitHub Apps as the API shows them: to the App itself (its JWT: the app, its installations, the
 * tokens it is issued) and to the custom deployment protection rule API.
 */

/** `integration`: the App as GET /app shows it to itself. */
export function renderApp(
  ctx: RenderContext,
  app: GitHubAppRecord,
  installationsCount: number,
) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('A', app.id),
    client_id: app.clientId,
    owner: renderUser(ctx, findUser(ctx, app.ownerLogin)),
    name: app.name,
    description: app.description,
    external_url: app.externalUrl,
    html_url: `${WEB}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    permissions: app.permissions,
    events: app.events,
    installations_count: installationsCount,
  };
}

/** `installation`: where the App is installed, on every repository of the account. */
export function renderInstallation(
  ctx: RenderContext,
  installation: AppInstallationRecord,
  app: GitHubAppRecord,
) {
  const account = findUser(ctx, installation.accountLogin);
  return {
    id: installation.id,
    client_id: app.clientId,
    account: renderUser(ctx, account),
    repository_selection: 'all' as const,
    access_tokens_url: `${ctx.apiUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${ctx.apiUrl}/installation/repositories`,
    html_url:
      account.type === 'Organization'
        ? `${WEB}/organizations/${account.login}/settings/installations/${installation.id}`
        : `${WEB}/settings/installations/${installation.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type,
    permissions: app.permissions,
    events: app.events,
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** `installation-token`: a token just issued, with what it may do. */
export function renderInstallationToken(
  token: TokenRecord,
  permissions: Record<string, 'read' | 'write'>,
) {
  return {
    token: token.token,
    expires_at: token.expiresAt,
    permissions,
    repository_selection: 'all' as const,
  };
}

/** `custom-deployment-rule-app`: an App that may gate, or gates, an environment. */
export function renderRuleApp(ctx: RenderContext, app: GitHubAppRecord) {
  return {
    id: app.id,
    slug: app.slug,
    integration_url: `${ctx.apiUrl}/apps/${app.slug}`,
    node_id: nodeId('A', app.id),
  };
}

/** `deployment-protection-rule`: an App's rule enabled on an environment. */
export function renderProtectionRule(
  ctx: RenderContext,
  rule: DeploymentProtectionRuleRecord,
  app: GitHubAppRecord,
) {
  return {
    id: rule.id,
    node_id: nodeId('GA', rule.id),
    enabled: rule.enabled,
    app: renderRuleApp(ctx, app),
  };
}

/**
 * `webhook-config`: an App's webhook, its secret masked as GitHub masks it; no `url` until one
 * is set (the schema wants a URI).
 */
export function renderAppHookConfig(app: GitHubAppRecord) {
  return {
    ...(app.webhook.url ? { url: app.webhook.url } : {}),
    content_type: app.webhook.contentType,
    insecure_ssl: app.webhook.insecureSsl,
    ...(app.webhook.secret ? { secret: '********' } : {}),
  };
}
