import { JsonObject } from '@backstage/types';
import {
  AuditorService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestBackend,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DeliveryQuery,
  DeliveryRouteName,
  DeliveryRouteParams,
  RolloutStatus,
  deliveryPath,
} from '@internal/plugin-delivery-common';
import {
  ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  PORTAL_APP_CLIENT_ID,
  PORTAL_APP_ID,
  SONAR_TOKEN,
  Sandbox,
} from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import { deliveryPlugin } from '../plugin';
import { ALICE, ENTITIES, GITHUB_HOST } from './entities';
import { WEBHOOK_SECRET } from './gitHubWebhooks';
import { startFastSandbox } from './kubernetesSandbox';
import { HeardSignal, productionReplica } from './productionReplica';
import { PostgresServer } from './postgresServer';

/*
 * The one test backend of the delivery plugin: the plugin in a Backstage test backend, reading the
 * sandbox's GitHub, SonarCloud and Kubernetes over HTTP, with the one set of catalog entities.
 */

const TITANIC_SERVICE = {
  kind: 'component',
  namespace: 'default',
  name: 'titanic-service',
};

/**
 * The backend path of a route about titanic-service, or about the entity `params` name, e.g.
 * `apiPath('rollback', { environment: 'staging' })`.
 */
export function apiPath<Route extends DeliveryRouteName>(
  route: Route,
  params: Partial<DeliveryRouteParams<Route>> = {},
  query?: DeliveryQuery,
): string {
  return `/api/delivery${deliveryPath(
    route,
    { ...TITANIC_SERVICE, ...params } as DeliveryRouteParams<Route>,
    query,
  )}`;
}

export type PermissionDecision = AuthorizeResult.ALLOW | AuthorizeResult.DENY;

/** Decides a permission for a user (undefined for services). */
export type PermissionPolicy = (
  permission: string,
  userEntityRef: string | undefined,
) => PermissionDecision;

export const allowEverything: PermissionPolicy = () => AuthorizeResult.ALLOW;

/** Alice (an owner) may do everything; everyone else, Bob too, may only read. */
export const ownersOnly: PermissionPolicy = (permission, userEntityRef) =>
  permission === 'delivery.read' || userEntityRef === ALICE
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;

export interface AuditedEvent {
  eventId: string;
  status: 'initiated' | 'succeeded' | 'failed';
  meta?: unknown;
  /** A failed event's error: its name and message. */
  error?: string;
}

/** An auditor service that records every event it is given into `into`. */
export function recordingAuditor(into: AuditedEvent[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: (): AuditorService => ({
      async createEvent(event) {
        const record = (
          status: AuditedEvent['status'],
          result: { meta?: unknown; error?: Error } = {},
        ) =>
          into.push({
            eventId: event.eventId,
            status,
            meta: result.meta,
            ...(result.error
              ? { error: `${result.error.name}: ${result.error.message}` }
              : {}),
          });
        record('initiated', { meta: event.meta });
        return {
          success: async result => void record('succeeded', result),
          fail: async result => void record('failed', result),
        };
      },
    }),
  });
}

/**
 * A notification service that keeps what it is asked to send: the notifications backend, its
 * recipients' resolution and its delivery are Backstage's (the browser tests see them arrive).
 */
export function keptNotifications(into: NotificationSendOptions[]) {
  return createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(options: NotificationSendOptions) {
        into.push(options);
      },
    }),
  });
}

export interface DeliveryBackend {
  sandbox: Sandbox;
  /** Every notification the plugin sent so far, in order; tests may empty it. */
  notifications: NotificationSendOptions[];
  backend: TestBackend;
  /** Every auditor event so far, in order; tests may empty it. */
  auditorEvents: AuditedEvent[];
  /** The backend's own URL, e.g. for fetch. */
  baseUrl: string;
  /** Runs one of the plugin's scheduled tasks now, as the scheduler would when it is due. */
  runScheduledTask(id: string): Promise<void>;
  /** The signals this backend heard (only as a production replica). */
  signals: HeardSignal[];
  /** GitHub API calls since the last reset (log downloads counted apart). */
  githubCalls(): { api: number; notModified: number; downloads: number };
  resetCounts(): void;
  close(): Promise<void>;
}

export async function startDeliveryBackend(
  options: {
    /** The sandbox to read; default a fresh one of its own, closed with the backend. */
    sandbox?: Sandbox;
    /** Default: everyone may do everything. */
    policy?: PermissionPolicy;
    /** delivery.cache.freshSeconds (default 60). */
    freshSeconds?: number;
    /** The portal's Kubernetes service account token (default the sandbox's admin). */
    kubernetesToken?: string;
    /** How long one read of a Deployment serves viewers (delivery.kubernetes.cacheMilliseconds). */
    cacheMilliseconds?: number;
    /** delivery.rollback.followIntervalMilliseconds (default 20). */
    followIntervalMilliseconds?: number;
    /** The plugin's database, to share it between backends (default: a fresh one). */
    knex?: Knex;
    /**
     * Run as one replica of a production deployment on this PostgreSQL: the events backend and
     * its bus, signed GitHub webhooks (WEBHOOK_SECRET), signals (see productionReplica).
     */
    postgres?: PostgresServer;
    /** delivery.webhooks.safetyNetSeconds, for a production replica. */
    safetyNetSeconds?: number;
    /** The catalog (default: the one set of entities every test reads). */
    entities?: Entity[];
    /**
     * Backstage's cache service on this Redis (`redis://host:port`), as the production profile
     * runs it, instead of the test backend's in-memory mock.
     */
    redisCache?: string;
    /** delivery.github.reviewWith (default portal). */
    reviewWith?: 'portal' | 'reviewer';
    /** delivery.environments (default: dev, staging and prod). */
    environments?: JsonObject[];
    /** delivery.github.protectionRule.enabled (default false). */
    protectionRule?: boolean;
    /**
     * The portal's GitHub token (default the portal bot's); the App installation's when the
     * portal is a GitHub App (PORTAL_APP_INSTALLATION_TOKEN).
     */
    githubToken?: string;
    /**
     * Reach GitHub as the titanic-portal GitHub App (integrations.github[].apps with the
     * sandbox's App key) instead of a token.
     */
    githubApp?: boolean;
  } = {},
): Promise<DeliveryBackend> {
  const sandbox = options.sandbox ?? (await startFastSandbox());
  const policy = options.policy ?? allowEverything;
  const auditorEvents: AuditedEvent[] = [];
  const auditor = recordingAuditor(auditorEvents);
  const notifications: NotificationSendOptions[] = [];
  const permissions = createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      ({
        authorize: async (
          requests: Array<{ permission: { name: string } }>,
          { credentials }: { credentials: BackstageCredentials },
        ) =>
          requests.map(r => ({
            result: policy(
              r.permission.name,
              (credentials.principal as { userEntityRef?: string })
                .userEntityRef,
            ),
          })),
        authorizeConditional: async (requests: unknown[]) =>
          requests.map(() => ({ result: AuthorizeResult.DENY })),
      } as never),
  });
  const scheduler = mockServices.scheduler.mock();
  const replica = options.postgres
    ? productionReplica({
        postgres: options.postgres,
        safetyNetSeconds: options.safetyNetSeconds,
      })
    : undefined;
  const backend = await startTestBackend({
    features: [
      deliveryPlugin,
      ...((replica?.features ?? []) as []),
      scheduler.factory,
      // The actions' HTTP endpoints, as the production backend serves them to mcp-actions-backend.
      actionsRegistryServiceFactory,
      ...(options.redisCache ? [cacheServiceFactory] : []),
      mockServices.rootConfig.factory({
        data: {
          ...replica?.config,
          backend: {
            ...(replica?.config.backend as object),
            ...(options.redisCache
              ? { cache: { store: 'redis', connection: options.redisCache } }
              : {}),
          },
          integrations: {
            github: [
              {
                host: GITHUB_HOST,
                apiBaseUrl: sandbox.github.baseUrl,
                ...(options.githubApp
                  ? {
                      // As a platform team configures a GitHub App: Backstage exchanges the
                      // App's JWT for installation tokens.
                      apps: [
                        {
                          appId: PORTAL_APP_ID,
                          clientId: PORTAL_APP_CLIENT_ID,
                          clientSecret: 'no-user-flow',
                          webhookSecret: WEBHOOK_SECRET,
                          privateKey: sandbox.github.apps.privateKey(),
                        },
                      ],
                    }
                  : { token: options.githubToken ?? GITHUB_PORTAL_BOT_TOKEN }),
              },
            ],
          },
          delivery: {
            ...(replica?.config.delivery as object),
            github: {
              reviewWith: options.reviewWith ?? 'portal',
              protectionRule: { enabled: options.protectionRule ?? false },
            },
            ...(options.environments
              ? { environments: options.environments }
              : {}),
            cache: { freshSeconds: options.freshSeconds ?? 60 },
            sonarcloud: {
              baseUrl: sandbox.sonarcloud.baseUrl,
              token: SONAR_TOKEN,
            },
            kubernetes: {
              clusters: [
                {
                  name: 'sandbox',
                  url: sandbox.kubernetes.server,
                  serviceAccountToken: options.kubernetesToken ?? ADMIN_TOKEN,
                  skipTLSVerify: true,
                },
              ],
              ...(options.cacheMilliseconds !== undefined
                ? { cacheMilliseconds: options.cacheMilliseconds }
                : {}),
            },
            rollback: {
              followIntervalMilliseconds:
                options.followIntervalMilliseconds ?? 20,
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities ?? ENTITIES }),
      permissions,
      auditor,
      keptNotifications(notifications),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
    ],
  });
  const address = backend.server.address();
  if (!address || typeof address === 'string') {
    throw new Error('the test backend listens on no port');
  }
  return {
    sandbox,
    backend,
    auditorEvents,
    notifications,
    signals: replica?.signals ?? [],
    baseUrl: `http://127.0.0.1:${address.port}`,
    runScheduledTask: async id => {
      const call = scheduler.scheduleTask.mock.calls.find(
        ([task]) => task.id === id,
      );
      if (!call) throw new Error(`no task ${id} was scheduled`);
      await call[0].fn(new AbortController().signal);
    },
    githubCalls: () => {
      const snapshot = sandbox.github.requests.snapshot();
      let api = 0;
      let downloads = 0;
      for (const [route, count] of Object.entries(snapshot.routes)) {
        if (route.includes('/_sandbox/downloads/')) downloads += count.total;
        else api += count.total;
      }
      return { api, notModified: snapshot.notModified, downloads };
    },
    resetCounts: () => sandbox.github.requests.reset(),
    close: async () => {
      await backend.stop();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

/** The revision live in one of titanic-service's environments, as the rollout route reads it. */
export async function liveRevision(
  portal: DeliveryBackend,
  environment: string,
): Promise<number> {
  const response = await request(portal.backend.server)
    .get(apiPath('rollout', { environment }))
    .set('Authorization', mockCredentials.user.header(ALICE));
  return (response.body as RolloutStatus).revision;
}

/** GETs a route about titanic-service as the default user, expecting 200, and answers its body. */
export async function getOk<T>(
  portal: DeliveryBackend,
  route: 'runs' | 'findings' | 'sonarcloud' | 'trend',
  query?: DeliveryQuery,
): Promise<T> {
  const response = await request(portal.backend.server).get(
    apiPath(route, {}, query),
  );
  expect(response.status).toBe(200);
  return response.body as T;
}
