import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { EnvironmentBinding } from '../environments/environmentBindings';
import { readDeliveryConfig } from '../service/config';
import {
  ResourceOwnership,
  namespaceOwnershipProblem,
} from './resourceOwnership';

const repo = {
  host: 'github.com',
  owner: 'acme-corp',
  name: 'titanic-service',
};

function component(
  annotations: Record<string, string>,
  owner: string | null = 'group:default/titanic-team',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'titanic-service', namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: owner ?? undefined,
    },
  };
}

const located = (location: string, origin = location) =>
  component({
    'backstage.io/managed-by-location': location,
    'backstage.io/managed-by-origin-location': origin,
  });

const staging: EnvironmentBinding = {
  name: 'staging',
  githubEnvironment: 'staging',
  cluster: 'eks-prod',
  namespace: 'titanic-staging',
  deploymentName: 'titanic-service',
};

describe('which repository an entity may act on', () => {
  const ownership = new ResourceOwnership(
    readDeliveryConfig(
      new ConfigReader({
        catalog: {
          locations: [
            { type: 'file', target: '../../catalog-info.yaml' },
            {
              type: 'url',
              target:
                'https://github.com/acme-corp/catalog/blob/main/all-services.yaml',
            },
          ],
        },
      }),
    ).configuredLocations,
  );

  it('accepts an entity read from the repository it names, whatever the path, case or .git suffix', () => {
    for (const location of [
      'url:https://github.com/acme-corp/titanic-service/blob/main/catalog-info.yaml',
      'url:https://github.com/ACME-Corp/Titanic-Service/tree/develop/services/api/catalog-info.yaml',
      'url:https://github.com/acme-corp/titanic-service.git',
    ]) {
      expect(() =>
        ownership.assertRepositoryBound(located(location), repo),
      ).not.toThrow();
    }
  });

  it('accepts entities the portal’s configuration registered: file locations and configured url locations', () => {
    expect(() =>
      ownership.assertRepositoryBound(
        located('file:/srv/portal/catalog-info.yaml'),
        repo,
      ),
    ).not.toThrow();
    expect(() =>
      ownership.assertRepositoryBound(
        located(
          'url:https://github.com/acme-corp/catalog/blob/main/services/titanic.yaml',
          'url:https://github.com/acme-corp/catalog/blob/main/all-services.yaml',
        ),
        repo,
      ),
    ).not.toThrow();
  });

  it('refuses an entity a user registered from another repository, naming where it came from', () => {
    const elsewhere =
      'url:https://github.com/night-shift/tools/blob/main/catalog-info.yaml';
    expect(() =>
      ownership.assertRepositoryBound(located(elsewhere), repo),
    ).toThrow(
      `component:default/titanic-service was read from ${elsewhere}, not from its repository github.com/acme-corp/titanic-service`,
    );
  });

  it('refuses the same repository path on another host, a lookalike name, and an entity with no location', () => {
    for (const location of [
      'url:https://gitlab.com/acme-corp/titanic-service/blob/main/catalog-info.yaml',
      'url:https://github.com/acme-corp/titanic-service-fork/blob/main/catalog-info.yaml',
      'url:not a url',
    ]) {
      expect(() =>
        ownership.assertRepositoryBound(located(location), repo),
      ).toThrow(/not from its repository/);
    }
    expect(() => ownership.assertRepositoryBound(component({}), repo)).toThrow(
      'was read from an unknown location',
    );
  });

  it('marks the refusal so clients can tell it from a permission decision', () => {
    expect(() => ownership.assertRepositoryBound(component({}), repo)).toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        details: { reason: 'repository-not-bound' },
      }),
    );
  });
});

describe('which namespace an entity may roll back', () => {
  const owned = component({});

  it('accepts a namespace whose titanic.io/owner is the entity’s owner, written in full or short', () => {
    expect(
      namespaceOwnershipProblem(owned, staging, 'group:default/titanic-team'),
    ).toBeNull();
    expect(
      namespaceOwnershipProblem(owned, staging, 'titanic-team'),
    ).toBeNull();
    expect(
      namespaceOwnershipProblem(
        component({}, 'titanic-team'),
        staging,
        ' group:default/titanic-team ',
      ),
    ).toBeNull();
  });

  it('refuses a namespace another team owns, naming both owners', () => {
    expect(
      namespaceOwnershipProblem(
        component({}, 'group:default/night-shift'),
        staging,
        'group:default/titanic-team',
      ),
    ).toBe(
      'Namespace titanic-staging in cluster eks-prod belongs to group:default/titanic-team, not to group:default/night-shift (the owner of component:default/titanic-service); only an entity its owner owns may roll it back',
    );
  });

  it('refuses a namespace that names no owner or an unreadable one, and an entity without an owner', () => {
    expect(namespaceOwnershipProblem(owned, staging, undefined)).toMatch(
      /names no owner \(annotation titanic.io\/owner\)/,
    );
    expect(namespaceOwnershipProblem(owned, staging, 'group:')).toMatch(
      /is not an entity reference/,
    );
    expect(
      namespaceOwnershipProblem(
        component({}, null),
        staging,
        'group:default/titanic-team',
      ),
    ).toMatch(/not to nobody/);
  });

  it('does not confuse a user with a group of the same name', () => {
    expect(
      namespaceOwnershipProblem(
        component({}, 'user:default/titanic-team'),
        staging,
        'titanic-team',
      ),
    ).toMatch(
      /belongs to group:default\/titanic-team, not to user:default\/titanic-team/,
    );
  });
});
