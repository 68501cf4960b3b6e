import { GITHUB_USER_LOGIN_ANNOTATION } from '@internal/plugin-delivery-common';
import { Entity } from '@backstage/catalog-model';
import { HISTORY_OWNER, SERVICE_PROFILES } from '@internal/sandbox';

/*
 * The one set of catalog entities every delivery backend test reads: titanic-service as the
 * sandbox world knows it, and the entities that test what the backend refuses.
 */

/** The integrations.github host the sandbox's GitHub serves. */
export const GITHUB_HOST = 'github.sandbox.test';

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';

/** Where the catalog read an entity: the catalog-info.yaml of `repository` on the integration's host. */
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
      'sonarqube.org/project-key': 'acme-corp_titanic-service',
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

/**
 * Anyone may register an entity, and its annotations say whatever its author wrote: another
 * team's entity naming titanic-service's repository and namespaces, read from its own repository.
 */
export const titanicLookalike: Entity = {
  ...titanicService,
  metadata: {
    ...titanicService.metadata,
    name: 'titanic-lookalike',
    annotations: {
      ...titanicService.metadata.annotations,
      ...readFrom('night-shift/tools'),
    },
  },
  spec: { ...titanicService.spec, owner: 'group:default/night-shift' },
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

/** A service created minutes ago: its namespaces and Deployments do not exist yet. */
export const notDeployed: Entity = {
  ...titanicService,
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      ...readFrom('acme-corp/orders-api'),
      'github.com/project-slug': 'acme-corp/orders-api',
    },
  },
};

const user = (
  name: string,
  displayName: string,
  memberOf: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName }, memberOf },
});

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

/** The sandbox's further services, each with ninety days of production history. */
export const HISTORY_SERVICES: Entity[] = SERVICE_PROFILES.map(profile => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: profile.name,
    namespace: 'default',
    title: profile.title,
    annotations: {
      ...readFrom(`${HISTORY_OWNER}/${profile.name}`),
      'github.com/project-slug': `${HISTORY_OWNER}/${profile.name}`,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: `group:default/${profile.team}`,
  },
}));

export const ENTITIES: Entity[] = [
  titanicService,
  titanicLookalike,
  withoutAnnotation,
  unknownRepository,
  notAnalysed,
  notDeployed,
  ...HISTORY_SERVICES,
  group('titanic-team'),
  group('platform-team'),
  user('alice', 'Alice Andrews', ['titanic-team']),
  user('bob', 'Bob Brown', ['titanic-team']),
  user('carol', 'Carol Chen', ['platform-team']),
];

/** The catalog as the github-org provider fills it: people carry their GitHub login (their name here). */
export const ENTITIES_WITH_LOGINS: Entity[] = ENTITIES.map(entity =>
  entity.kind === 'User'
    ? {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [GITHUB_USER_LOGIN_ANNOTATION]: entity.metadata.name,
          },
        },
      }
    : entity,
);
