import {
  DeploymentProtectionRuleRecord,
  GitHubAppRecord,
} from '../../world/records';
import { RenderContext, nodeId } from './renderContext';

/* GitHub Apps as the custom deployment protection rule API shows them. */

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

/** `webhook-config`: an App's webhook, its secret masked as GitHub masks it. */
export function renderAppHookConfig(app: GitHubAppRecord) {
  return {
    url: app.webhook.url,
    content_type: app.webhook.contentType,
    insecure_ssl: app.webhook.insecureSsl,
    ...(app.webhook.secret ? { secret: '********' } : {}),
  };
}
