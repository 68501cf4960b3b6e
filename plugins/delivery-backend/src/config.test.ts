import { ConfigReader } from '@backstage/config';
import { DEFAULT_GATES, readDeliveryConfig } from './config';

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
});
