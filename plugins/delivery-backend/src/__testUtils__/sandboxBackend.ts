import {
  ServiceFactory,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestBackend,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  SONAR_TOKEN,
  SandboxWorld,
  SonarSandbox,
  startGitHubServer,
  startSonarServer,
} from '@internal/sandbox';
import { deliveryPlugin } from '../plugin';

/* A test backend running the delivery plugin against a freshly seeded sandbox over HTTP. */

export const SANDBOX_HOST = 'github.sandbox.test';

export const titanicService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'titanic-service',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `url:https://${SANDBOX_HOST}/acme-corp/titanic-service/blob/main/catalog-info.yaml`,
      'github.com/project-slug': 'acme-corp/titanic-service',
      'sonarqube.org/project-key': 'acme-corp_titanic-service',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/titanic-team',
  },
};

export const withoutAnnotation: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'no-repo', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/titanic-team',
  },
};

export const unknownRepository: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ghost-service',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme-corp/ghost-service' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/titanic-team',
  },
};

/** A SonarCloud project key SonarCloud has never analysed (a service created minutes ago). */
export const notAnalysed: Entity = {
  ...titanicService,
  metadata: {
    ...titanicService.metadata,
    name: 'not-analysed',
    annotations: {
      ...titanicService.metadata.annotations,
      'sonarqube.org/project-key': 'acme-corp_not-analysed',
    },
  },
};

/** Names titanic-service's repository, but was read from another one. */
export const readElsewhere: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'titanic-lookalike',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `url:https://${SANDBOX_HOST}/night-shift/tools/blob/main/catalog-info.yaml`,
      'github.com/project-slug': 'acme-corp/titanic-service',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/night-shift',
  },
};

export const ENTITY_PATH =
  '/api/delivery/entities/component/default/titanic-service';

/** The sandbox's GitHub and SonarCloud over one seeded world (its Kubernetes is not needed here). */
export interface Sandbox {
  github: GitHubSandbox;
  sonarcloud: SonarSandbox;
  world: SandboxWorld;
  close(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const world = SandboxWorld.seeded();
  const github = await startGitHubServer({ world });
  const sonarcloud = await startSonarServer({ world });
  return {
    github,
    sonarcloud,
    world,
    close: async () => {
      await Promise.all([github.close(), sonarcloud.close()]);
    },
  };
}

export interface SandboxBackend {
  sandbox: Sandbox;
  backend: TestBackend;
  /** GitHub API calls since the last reset (log downloads counted apart). */
  githubCalls(): { api: number; notModified: number; downloads: number };
  resetCounts(): void;
  close(): Promise<void>;
}

export async function startSandboxBackend(
  options: {
    sandbox?: Sandbox;
    permissions?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    /** Decides per permission name; overrides `permissions`. */
    decide?: (
      permission: string,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    freshSeconds?: number;
    extraFeatures?: ServiceFactory[];
    auditor?: ServiceFactory;
  } = {},
): Promise<SandboxBackend> {
  const sandbox = options.sandbox ?? (await startSandbox());
  const permissionsFactory = options.decide
    ? createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () =>
          ({
            authorize: async (
              requests: Array<{ permission: { name: string } }>,
            ) =>
              requests.map(r => ({
                result: options.decide!(r.permission.name),
              })),
            authorizeConditional: async (requests: unknown[]) =>
              requests.map(() => ({ result: AuthorizeResult.DENY })),
          } as never),
      })
    : mockServices.permissions.factory({
        result: options.permissions ?? AuthorizeResult.ALLOW,
      });
  const backend = await startTestBackend({
    features: [
      deliveryPlugin,
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [
              {
                host: SANDBOX_HOST,
                apiBaseUrl: sandbox.github.baseUrl,
                token: GITHUB_PORTAL_BOT_TOKEN,
              },
            ],
          },
          delivery: {
            cache: { freshSeconds: options.freshSeconds ?? 60 },
            sonarcloud: {
              baseUrl: sandbox.sonarcloud.baseUrl,
              token: SONAR_TOKEN,
            },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          titanicService,
          withoutAnnotation,
          unknownRepository,
          readElsewhere,
          notAnalysed,
        ],
      }),
      permissionsFactory,
      ...(options.auditor ? [options.auditor] : []),
      ...(options.extraFeatures ?? []),
    ],
  });
  const githubCalls = () => {
    const snapshot = sandbox.github.requests.snapshot();
    let api = 0;
    let downloads = 0;
    for (const [route, count] of Object.entries(snapshot.routes)) {
      if (route.includes('/_sandbox/downloads/')) downloads += count.total;
      else api += count.total;
    }
    return { api, notModified: snapshot.notModified, downloads };
  };
  return {
    sandbox,
    backend,
    githubCalls,
    resetCounts: () => sandbox.github.requests.reset(),
    close: async () => {
      await backend.stop();
      if (!options.sandbox) await sandbox.close();
    },
  };
}
