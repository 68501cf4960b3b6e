/**
 * Local GitHub, SonarCloud and Kubernetes API servers that speak the real protocols, seeded with
 * a living titanic-service world. Point `@octokit/rest`, plain fetch and
 * `@kubernetes/client-node` at them by configuration alone.
 *
 * @packageDocumentation
 */

export { startGitHubServer } from './github/server';
export type {
  GitHubSandbox,
  GitHubServerOptions,
  HostedRepositories,
  HostedRepository,
} from './github/server';
export type { RepositoryPush } from './github/hosting/repositoryStore';
export type { RateLimitControl } from './github/rateLimit';
export type { LiveDeployJob } from './github/actionsEngine';
export type { RequestCounts, RouteCount } from './github/requestCounter';
export type { DeliveryRecord } from './github/webhooks/webhookSender';
export {
  assertValidWebhookPayload,
  webhookPayloadProblems,
} from './github/webhooks/webhookSchemas';
export * from './kubernetes';
export { startSonarServer } from './sonarcloud/server';
export type { SonarSandbox, SonarServerOptions } from './sonarcloud/server';
export { SandboxWorld } from './world/sandboxWorld';
export { addScaleServices, scaleServiceName } from './world/scaleWorld';
export type { ScaleService, ScaleWorldOptions } from './world/scaleWorld';
export type { WorldState } from './world/records';
export * from './world/releases';
export {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_ORG_ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  GITHUB_VIEWER_TOKEN,
  GUEST_GITHUB_LOGIN,
  REPOSITORY_NAME,
  REPOSITORY_OWNER,
  SONAR_TOKEN,
} from './world/seedRepository';
export {
  PORTAL_APP_BOT_LOGIN,
  PORTAL_APP_CLIENT_ID,
  PORTAL_APP_ID,
  PORTAL_APP_INSTALLATION_ID,
  PORTAL_APP_INSTALLATION_TOKEN,
  PORTAL_APP_SLUG,
} from './world/appSeed';
export { SONAR_PROJECT_KEY } from './world/sonarSeed';
export { GATES, WORKFLOW_NAME, WORKFLOW_PATH } from './world/pipeline';
export { DEFAULT_PORTS, startSandbox } from './sandbox';
export type { Sandbox, SandboxOptions } from './sandbox';
export {
  HISTORY_DAYS,
  HISTORY_ENVIRONMENT,
  HISTORY_OWNER,
  SERVICE_PROFILES,
  seedServiceHistories,
} from './history/serviceHistories';
export type {
  HistoryWorldState,
  ServiceHistoryRecord,
  ServiceProfile,
} from './history/serviceHistories';
