import { ConfigReader } from '@backstage/config';
import { DEFAULT_ENVIRONMENTS } from '../environments/environmentBindings';
import { DEFAULT_GATES } from '../pipeline/gateMapping';
import { readDeliveryConfig } from './config';

describe('delivery configuration', () => {
  it('defaults to the titanic pipeline’s gates, a 60 s freshness window and sonarcloud.io', () => {
    const config = readDeliveryConfig(new ConfigReader({}));
    expect(config.gates.map(g => g.id)).toEqual([
      'gitleaks',
      'checkov',
      'sonarcloud',
      'tests',
      'build',
      'trivy',
      'deploy',
    ]);
    expect(config.gates).toBe(DEFAULT_GATES);
    expect(config.freshSeconds).toBe(60);
    expect(config.sonarcloud).toEqual({
      baseUrl: 'https://sonarcloud.io',
      token: undefined,
    });
  });

  it('reads gates, cache and SonarCloud settings and refuses duplicate gate ids', () => {
    const config = readDeliveryConfig(
      new ConfigReader({
        delivery: {
          cache: { freshSeconds: 5 },
          sonarcloud: { baseUrl: 'http://127.0.0.1:7082/', token: 't' },
          gates: [{ id: 'scan', title: 'Scan', jobs: ['* / *'] }],
        },
      }),
    );
    expect(config.freshSeconds).toBe(5);
    expect(config.sonarcloud).toEqual({
      baseUrl: 'http://127.0.0.1:7082',
      token: 't',
    });
    expect(config.gates).toEqual([
      { id: 'scan', title: 'Scan', jobs: ['* / *'] },
    ]);
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: {
            gates: [
              { id: 'a', title: 'A', jobs: [] },
              { id: 'a', title: 'B', jobs: [] },
            ],
          },
        }),
      ),
    ).toThrow(/appears twice/);
  });

  it('reads clusters, environments, rollback following and the configured catalog locations', () => {
    const config = readDeliveryConfig(
      new ConfigReader({
        integrations: { github: [{ host: 'ghe.example.com', token: 't' }] },
        catalog: {
          locations: [
            { type: 'file', target: '../catalog-info.yaml' },
            { type: 'url', target: 'https://ghe.example.com/a/b/all.yaml' },
          ],
        },
        delivery: {
          kubernetes: {
            clusters: [
              {
                name: 'eu',
                url: 'https://k8s.example.com/',
                serviceAccountToken: 's',
              },
            ],
          },
          rollback: { followTimeoutSeconds: 60, sweepIntervalSeconds: 5 },
        },
      }),
    );
    expect(config.github.host).toBe('ghe.example.com');
    expect(config.kubernetes).toEqual({
      clusters: [
        {
          name: 'eu',
          url: 'https://k8s.example.com',
          serviceAccountToken: 's',
          skipTLSVerify: false,
          caData: undefined,
        },
      ],
      snapshotMs: 2000,
    });
    expect(config.environments).toBe(DEFAULT_ENVIRONMENTS);
    expect(config.rollback).toEqual({
      followIntervalMs: 250,
      followTimeoutMs: 60_000,
      sweepIntervalMs: 5_000,
    });
    expect(config.configuredLocations).toEqual([
      'url:https://ghe.example.com/a/b/all.yaml',
    ]);
  });

  it('refuses clusters or environments named twice, and negative durations', () => {
    const cluster = {
      name: 'eu',
      url: 'https://k8s',
      serviceAccountToken: 's',
    };
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: { kubernetes: { clusters: [cluster, cluster] } },
        }),
      ),
    ).toThrow('delivery.kubernetes.clusters: cluster "eu" appears twice');
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: { environments: [{ name: 'qa' }, { name: 'qa' }] },
        }),
      ),
    ).toThrow('delivery.environments: "qa" appears twice');
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: { rollback: { followIntervalMilliseconds: -1 } },
        }),
      ),
    ).toThrow(
      'delivery.rollback.followIntervalMilliseconds must be a number ≥ 0',
    );
  });

  it('turns the protection rule on only where GitHub can ask it, through signed webhooks', () => {
    expect(readDeliveryConfig(new ConfigReader({})).github.protectionRule).toBe(
      false,
    );
    expect(
      readDeliveryConfig(
        new ConfigReader({
          delivery: { github: { protectionRule: { enabled: true } } },
          events: { modules: { github: { webhookSecret: 's' } } },
        }),
      ).github,
    ).toMatchObject({ protectionRule: true, reviewWith: 'portal' });
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: { github: { protectionRule: { enabled: true } } },
        }),
      ),
    ).toThrow(/protectionRule.enabled needs signed GitHub webhooks/);
    expect(() =>
      readDeliveryConfig(
        new ConfigReader({
          delivery: { github: { protectionRule: { enabled: 'yes' } } },
        }),
      ),
    ).toThrow(/delivery.github.protectionRule.enabled/);
  });
});
