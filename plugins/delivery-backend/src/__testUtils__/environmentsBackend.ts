import { Knex } from 'knex';
import request from 'supertest';
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
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  Sandbox,
} from '@internal/sandbox';
import { RolloutStatus } from '@internal/plugin-delivery-common';
import { deliveryPlugin } from '../plugin';
import { startFastSandbox } from './kubernetesSandbox';

/* A test backend running the delivery plugin against a fast sandbox (GitHub + Kubernetes) over HTTP. */

export const GITHUB_HOST = 'github.sandbox.test';
export const ENTITY_PATH =
  '/api/delivery/entities/component/default/titanic-service';

/** Where the catalog read an entity: the file of `repository` on the integration's host. */
export function readFrom(repository: string) {
  const location = `url:https://${GITHUB_HOST}/${repository}/blob/main/catalog-info.yaml`;
  return {
    'backstage.io/managed-by-location': location,
    'backstage.io/managed-by-origin-location': location,
  };
}

export const titanicService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'titanic-service',
    namespace: 'default',
    annotations: {
      ...readFrom('acme-corp/titanic-service'),
      'github.com/project-slug': 'acme-corp/titanic-service',
      'backstage.io/kubernetes-id': 'titanic-service',
      'titanic.io/environments':
        'dev=titanic-dev, staging=titanic-staging, prod=titanic-prod',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/titanic-team',
    system: 'titanic',
  },
};

const user = (name: string, displayName: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName }, memberOf: [] },
});

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';

/** Alice (an owner) may do everything; Bob may only read. */
export function ownersOnly(
  permission: string,
  userEntityRef: string | undefined,
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  if (permission === 'delivery.read' || userEntityRef === ALICE)
    return AuthorizeResult.ALLOW;
  return AuthorizeResult.DENY;
}

export interface AuditedEvent {
  eventId: string;
  status: 'initiated' | 'succeeded' | 'failed';
  meta?: unknown;
  error?: string;
}

export interface EnvironmentsBackend {
  sandbox: Sandbox;
  backend: TestBackend;
  auditorEvents: AuditedEvent[];
  close(): Promise<void>;
}

export async function startEnvironmentsBackend(
  options: {
    sandbox?: Sandbox;
    kubernetesToken?: string;
    decide?: typeof ownersOnly;
    /** How long one read of a Deployment serves viewers (delivery.kubernetes.cacheMilliseconds). */
    cacheMilliseconds?: number;
    followIntervalMilliseconds?: number;
    /** More catalog entities beside titanic-service, Alice and Bob. */
    entities?: Entity[];
    /** The plugin's database, to share it between backends (default: a fresh one). */
    knex?: Knex;
  } = {},
): Promise<EnvironmentsBackend> {
  const sandbox = options.sandbox ?? (await startFastSandbox());
  const decide = options.decide ?? ownersOnly;
  const auditorEvents: AuditedEvent[] = [];
  const auditor = createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: (): AuditorService => ({
      async createEvent(event) {
        auditorEvents.push({
          eventId: event.eventId,
          status: 'initiated',
          meta: event.meta,
        });
        return {
          async success(result) {
            auditorEvents.push({
              eventId: event.eventId,
              status: 'succeeded',
              meta: result?.meta,
            });
          },
          async fail(result) {
            auditorEvents.push({
              eventId: event.eventId,
              status: 'failed',
              meta: result.meta,
              error: String(result.error),
            });
          },
        };
      },
    }),
  });
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
            result: decide(
              r.permission.name,
              (credentials.principal as { userEntityRef?: string })
                .userEntityRef,
            ),
          })),
        authorizeConditional: async (requests: unknown[]) =>
          requests.map(() => ({ result: AuthorizeResult.DENY })),
      } as never),
  });
  const backend = await startTestBackend({
    features: [
      deliveryPlugin,
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [
              {
                host: GITHUB_HOST,
                apiBaseUrl: sandbox.github.baseUrl,
                token: GITHUB_PORTAL_BOT_TOKEN,
              },
            ],
          },
          delivery: {
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
      catalogServiceMock.factory({
        entities: [
          titanicService,
          user('alice', 'Alice Andrews'),
          user('bob', 'Bob Brown'),
          ...(options.entities ?? []),
        ],
      }),
      permissions,
      auditor,
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
    ],
  });
  return {
    sandbox,
    backend,
    auditorEvents,
    close: async () => {
      await backend.stop();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

/** The revision live in one of titanic-service's environments, as the rollout endpoint reads it. */
export async function liveRevision(
  portal: EnvironmentsBackend,
  environment: string,
): Promise<number> {
  const response = await request(portal.backend.server)
    .get(`${ENTITY_PATH}/environments/${environment}/rollout`)
    .set('Authorization', mockCredentials.user.header(ALICE));
  return (response.body as RolloutStatus).revision;
}
