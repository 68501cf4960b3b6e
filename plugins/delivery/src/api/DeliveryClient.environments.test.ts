import { ResponseError } from '@backstage/errors';
import { DeliveryClient } from './DeliveryClient';

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'titanic-service',
};
const base =
  'http://portal/api/delivery/entities/Component/default/titanic-service';

function clientAnswering(status: number, body: unknown) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const client = new DeliveryClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://portal/api/${pluginId}`,
    },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

describe('DeliveryClient (environments)', () => {
  it('reads the environments, a rollout and a filtered audit trail', async () => {
    const { client, fetch } = clientAnswering(200, {});
    await client.getEnvironments(entity);
    await client.getRollout(entity, 'staging');
    await client.getAuditTrail(entity, { environment: 'prod', limit: 20 });
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      `${base}/environments`,
      `${base}/environments/staging/rollout`,
      `${base}/audit?environment=prod&limit=20`,
    ]);
  });

  it('posts a review with its decision and comment as JSON', async () => {
    const { client, fetch } = clientAnswering(200, { runId: 58 });
    await client.reviewDeployment(entity, 58, {
      decision: 'approve',
      comment: 'ship it',
    });
    expect(fetch).toHaveBeenCalledWith(`${base}/runs/58/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', comment: 'ship it' }),
    });
  });

  it('posts a rollback and accepts 202 Accepted', async () => {
    const { client, fetch } = clientAnswering(202, { outcome: 'rolled-back' });
    await expect(
      client.rollback(entity, 'staging', {
        toRevision: 5,
        expectedCurrentRevision: 6,
      }),
    ).resolves.toEqual({ outcome: 'rolled-back' });
    expect(fetch.mock.calls[0][0]).toBe(
      `${base}/environments/staging/rollback`,
    );
    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({
      toRevision: 5,
      expectedCurrentRevision: 6,
    });
  });

  it('throws a ResponseError that keeps the backend’s reason', async () => {
    const { client } = clientAnswering(409, {
      error: {
        name: 'ConflictError',
        message: 'titanic-staging is already at revision 5',
        details: { reason: 'revision-changed', currentRevision: 5 },
      },
      response: { statusCode: 409 },
    });
    const error = await client
      .rollback(entity, 'staging', { toRevision: 5 })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.details).toEqual({
      reason: 'revision-changed',
      currentRevision: 5,
    });
  });
});
