import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { readDeliveryConfig } from '../service/config';
import { environmentsOfEntity } from './environmentBindings';

const entity = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'titanic-service', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/titanic-team',
    system: 'titanic',
  },
});

describe('environmentsOfEntity', () => {
  const defaults = readDeliveryConfig(new ConfigReader({})).environments;

  it('defaults to dev, staging and prod in <component>-<env>, prod deployed by GitHub environment production', () => {
    expect(environmentsOfEntity(entity(), defaults, 'main')).toEqual([
      {
        name: 'dev',
        githubEnvironment: 'dev',
        cluster: 'main',
        namespace: 'titanic-service-dev',
        deploymentName: 'titanic-service',
      },
      {
        name: 'staging',
        githubEnvironment: 'staging',
        cluster: 'main',
        namespace: 'titanic-service-staging',
        deploymentName: 'titanic-service',
      },
      {
        name: 'prod',
        githubEnvironment: 'production',
        cluster: 'main',
        namespace: 'titanic-service-prod',
        deploymentName: 'titanic-service',
      },
    ]);
  });

  it('follows the titanic.io/environments annotation, keeping configured GitHub environments', () => {
    const bindings = environmentsOfEntity(
      entity({
        'titanic.io/environments':
          'dev=titanic-dev, staging=titanic-staging, prod=eu/titanic-prod',
        'backstage.io/kubernetes-id': 'titanic-api',
      }),
      defaults,
      'main',
    );
    expect(
      bindings.map(b => [
        b.name,
        b.cluster,
        b.namespace,
        b.githubEnvironment,
        b.deploymentName,
      ]),
    ).toEqual([
      ['dev', 'main', 'titanic-dev', 'dev', 'titanic-api'],
      ['staging', 'main', 'titanic-staging', 'staging', 'titanic-api'],
      ['prod', 'eu', 'titanic-prod', 'production', 'titanic-api'],
    ]);
  });

  it('fills {system} and {environment} templates from configuration', () => {
    const { environments: templates } = readDeliveryConfig(
      new ConfigReader({
        delivery: {
          environments: [
            { name: 'qa', namespace: '{system}-{environment}', cluster: 'lab' },
          ],
        },
      }),
    );
    expect(environmentsOfEntity(entity(), templates, 'main')).toEqual([
      {
        name: 'qa',
        githubEnvironment: 'qa',
        cluster: 'lab',
        namespace: 'titanic-qa',
        deploymentName: 'titanic-service',
      },
    ]);
  });

  it('explains a malformed annotation', () => {
    expect(() =>
      environmentsOfEntity(
        entity({ 'titanic.io/environments': 'dev:titanic-dev' }),
        defaults,
        'main',
      ),
    ).toThrow(/expected name=\[cluster\/\]namespace/);
    expect(() =>
      environmentsOfEntity(
        entity({ 'titanic.io/environments': 'dev=a, dev=b' }),
        defaults,
        'main',
      ),
    ).toThrow(/names "dev" twice/);
  });

  it('says which configuration is missing when no cluster is configured', () => {
    expect(() => environmentsOfEntity(entity(), defaults, undefined)).toThrow(
      /delivery.kubernetes.clusters/,
    );
  });
});
