import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { GithubEventRouter } from '@backstage/plugin-events-backend-module-github';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { DeliveryLedger } from './deliveryLedger';
import { GitHubWebhookIngress } from './githubWebhookIngress';
import { WebhookRefusals } from './webhookRefusals';
import {
  assertNoUnsignedIngress,
  readWebhookSettings,
} from './webhookSettings';

/**
 * GitHub webhooks into Backstage's events system, signed or not at all:
 * `POST /api/events/http/github` publishes to the `github` topic only what GitHub signed with a
 * configured secret, once per delivery across every replica, and no larger than the configured
 * size; every refusal is audited. Upstream's GithubEventRouter then republishes each event to
 * `github.<event>` (e.g. `github.workflow_run`), where the delivery plugin listens.
 *
 * It replaces the `github-webhook` module of @backstage/plugin-events-backend-module-github, whose
 * validator has no replay or size limit (add only one of the two: both register the topic).
 * Without a secret it registers no ingress at all, and refuses to start when `events.http.topics`
 * would open one unsigned.
 */
export const eventsModuleDeliveryGitHubWebhooks = createBackendModule({
  pluginId: 'events',
  moduleId: 'delivery-github-webhooks',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        ingresses: eventsExtensionPoint,
        events: eventsServiceRef,
      },
      async init({
        config,
        logger,
        auditor,
        database,
        scheduler,
        httpRouter,
        ingresses,
        events,
      }) {
        const settings = readWebhookSettings(config);
        assertNoUnsignedIngress(config, settings);
        if (settings.secrets.length === 0) {
          logger.warn(
            'GitHub webhooks are off: no webhook secret is configured (events.modules.github.webhookSecret ' +
              'or integrations.github[].apps[].webhookSecret); delivery dashboards keep polling GitHub',
          );
          return;
        }
        const ledger = await DeliveryLedger.create(database);
        const ingress = new GitHubWebhookIngress({
          settings,
          ledger,
          refusals: new WebhookRefusals(auditor, logger),
          logger,
        });
        // Modules initialise before their plugin: this router precedes the events backend's.
        httpRouter.use(ingress.guard());
        ingresses.addHttpPostIngress({
          topic: 'github',
          validator: ingress.validator(),
        });
        await new GithubEventRouter({ events }).subscribe();
        await scheduler.scheduleTask({
          id: 'delivery-github-webhook-deliveries-cleanup',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const forgotten = await ledger.forgetBefore(
              Date.now() - settings.rememberDeliveriesMs,
            );
            if (forgotten > 0) {
              logger.info(`Forgot ${forgotten} old GitHub webhook deliveries`);
            }
          },
        });
        logger.info(
          `GitHub webhooks: POST /api/events/http/github accepts signed deliveries up to ${settings.maxPayloadBytes} bytes`,
        );
      },
    });
  },
});
