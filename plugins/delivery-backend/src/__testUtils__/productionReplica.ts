import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  EventParams,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { JsonObject } from '@backstage/types';
import { DeliverySignal } from '@internal/plugin-delivery-common';
import { eventsModuleDeliveryGitHubWebhooks } from '../webhooks/githubWebhooksModule';
import { WEBHOOK_SECRET } from './gitHubWebhooks';
import { PostgresServer } from './postgresServer';

/*
 * What makes a test backend one replica of a production deployment: the plugins' databases on a
 * shared PostgreSQL, Backstage's events service with the events backend (its bus on that
 * database), the GitHub webhook module, and a recorder of the signals this replica hears.
 */

/** A signal as the signals backend hears it from the bus. */
export interface HeardSignal {
  channel: string;
  recipients: { type: string; entityRef?: string | string[] };
  message: DeliverySignal;
}

export interface ProductionReplica {
  config: JsonObject;
  features: unknown[];
  /** Every signal this replica heard so far, as its signals backend would. */
  signals: HeardSignal[];
}

export function productionReplica(options: {
  postgres: PostgresServer;
  /** delivery.webhooks.safetyNetSeconds */
  safetyNetSeconds?: number;
}): ProductionReplica {
  const signals: HeardSignal[] = [];
  // Hears the `signals` topic under this instance's own id, as the signals backend does.
  const signalsRecorder = createBackendPlugin({
    pluginId: 'signals-recorder',
    register(env) {
      env.registerInit({
        deps: {
          events: eventsServiceRef,
          instance: coreServices.rootInstanceMetadata,
        },
        async init({ events, instance }) {
          await events.subscribe({
            id: instance.getId(),
            topics: ['signals'],
            onEvent: async (event: EventParams) =>
              void signals.push(event.eventPayload as HeardSignal),
          });
        },
      });
    },
  });
  return {
    config: {
      backend: {
        database: { client: 'pg', connection: options.postgres.connection },
      },
      events: {
        useEventBus: 'always',
        modules: { github: { webhookSecret: WEBHOOK_SECRET } },
      },
      delivery: {
        webhooks: { safetyNetSeconds: options.safetyNetSeconds ?? 300 },
      },
    },
    features: [
      eventsServiceFactory,
      eventsPlugin,
      eventsModuleDeliveryGitHubWebhooks,
      signalsRecorder,
    ],
    signals,
  };
}
