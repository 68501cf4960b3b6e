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

  it('refuses to build a run route without a run id', () => {
    expect(() => deliveryPath('rerunFailedJobs', entity)).toThrow(/runId/);
  });

  it('keeps every route under one entity', () => {
    for (const path of Object.values(DELIVERY_ROUTES)) {
      expect(path.startsWith('/entities/:kind/:namespace/:name/')).toBe(true);
    }
  });
});
