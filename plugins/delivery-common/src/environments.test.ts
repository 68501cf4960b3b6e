import { ENVIRONMENT_ROUTES, environmentsPath } from './environments';

describe('environmentsPath', () => {
  const entity = {
    kind: 'Component',
    namespace: 'default',
    name: 'titanic-service',
  };

  it('fills the entity and the environment into a route', () => {
    expect(
      environmentsPath('rollback', { ...entity, environment: 'staging' }),
    ).toBe(
      '/entities/Component/default/titanic-service/environments/staging/rollback',
    );
    expect(environmentsPath('reviewDeployment', { ...entity, runId: 7 })).toBe(
      '/entities/Component/default/titanic-service/runs/7/review',
    );
  });

  it('adds only the query parameters that have a value', () => {
    expect(
      environmentsPath('audit', entity, {
        environment: 'prod',
        limit: 20,
        before: undefined,
      }),
    ).toBe(
      '/entities/Component/default/titanic-service/audit?environment=prod&limit=20',
    );
  });

  it('refuses to build an environment route without the environment', () => {
    expect(() => environmentsPath('rollout', entity)).toThrow(/environment/);
  });

  it('keeps every route under one entity', () => {
    for (const path of Object.values(ENVIRONMENT_ROUTES)) {
      expect(path.startsWith('/entities/:kind/:namespace/:name/')).toBe(true);
    }
  });
});
