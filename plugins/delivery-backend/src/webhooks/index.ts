/**
 * The events plugin's module for signed GitHub webhooks:
 * `backend.add(import('@internal/plugin-delivery-backend/webhooks'))`.
 *
 * @packageDocumentation
 */

export { eventsModuleDeliveryGitHubWebhooks as default } from './githubWebhooksModule';
