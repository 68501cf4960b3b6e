import { DELIVERY_ROUTES, deliveryPath, findingsQuery } from './routes';

describe('deliveryPath', () => {
  const entity = {
    kind: 'Component',
    namespace: 'default',
    name: 'titanic-service',
  };

  it('fills the entity into a route and encodes each part', () => {
    expect(deliveryPath('dashboard', entity)).toBe(
      '/entities/Component/default/titanic-service/dashboard',
    );
    expect(deliveryPath('run', { ...entity, name: 'a/b c', runId: 42 })).toBe(
      '/entities/Component/default/a%2Fb%20c/runs/42',
    );
  });

  it('fills the entity and the environment into a route', () => {
    expect(
      deliveryPath('rollback', { ...entity, environment: 'staging' }),
    ).toBe(
      '/entities/Component/default/titanic-service/environments/staging/rollback',
    );
    expect(deliveryPath('reviewDeployment', { ...entity, runId: 7 })).toBe(
      '/entities/Component/default/titanic-service/runs/7/review',
    );
  });

  it('joins list filters with commas and leaves out empty ones', () => {
    expect(
      deliveryPath(
        'findings',
        entity,
        findingsQuery(
          { severity: ['critical', 'high'], tool: [] },
          { limit: 50 },
        ),
      ),
    ).toBe(
      '/entities/Component/default/titanic-service/findings?severity=critical%2Chigh&limit=50',
    );
  });

  it('adds only the query parameters that have a value', () => {
    expect(
      deliveryPath('audit', entity, {
        environment: 'prod',
        limit: 20,
        before: undefined,
        action: '',
      }),
    ).toBe(
      '/entities/Component/default/titanic-service/audit?environment=prod&limit=20',
    );
  });

  it('refuses to build a run route without a run id', () => {
    // @ts-expect-error the type asks for the run id too
    expect(() => deliveryPath('rerunFailedJobs', entity)).toThrow(/runId/);
  });

  it('refuses to build an environment route without the environment', () => {
    // @ts-expect-error the type asks for the environment too
    expect(() => deliveryPath('rollout', entity)).toThrow(/environment/);
  });

  it('keeps every route under one entity, except the insights and the approvals inbox, whose scope is the caller or the query', () => {
    for (const [name, path] of Object.entries(DELIVERY_ROUTES)) {
      const prefix = ['insights', 'approvals'].find(p => name.startsWith(p));
      expect([
        name,
        prefix
          ? path.startsWith(`/${prefix}`) && !path.includes(':')
          : path.startsWith('/entities/:kind/:namespace/:name/'),
      ]).toEqual([name, true]);
    }
  });

  it('builds the insights routes from their query alone', () => {
    expect(
      deliveryPath(
        'insightsDora',
        {},
        { group: 'group:default/titanic-team', days: 90 },
      ),
    ).toBe('/insights/dora?group=group%3Adefault%2Ftitanic-team&days=90');
  });
});
