import { ResponseError } from '@backstage/errors';
import { DeliveryClient } from './DeliveryClient';

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'titanic-service',
};

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

describe('DeliveryClient', () => {
  it('asks the delivery backend for a filtered page of findings', async () => {
    const { client, fetch } = clientAnswering(200, { findings: [] });
    await client.getFindings(
      entity,
      { severity: ['critical'], state: ['open'] },
      { offset: 100, limit: 50 },
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://portal/api/delivery/entities/Component/default/titanic-service/findings?severity=critical&state=open&offset=100&limit=50',
      { method: 'GET' },
    );
  });

  it('posts a re-run of a run’s failed jobs', async () => {
    const { client, fetch } = clientAnswering(201, { runId: 7, runAttempt: 2 });
    await expect(client.rerunFailedJobs(entity, 7)).resolves.toEqual({
      runId: 7,
      runAttempt: 2,
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://portal/api/delivery/entities/Component/default/titanic-service/runs/7/rerun-failed-jobs',
      { method: 'POST' },
    );
  });

  it('throws a ResponseError that keeps the backend’s reason', async () => {
    const { client } = clientAnswering(409, {
      error: {
        name: 'ConflictError',
        message: 'Run 7 is still in progress',
        details: { reason: 'not-rerunnable' },
      },
      response: { statusCode: 409 },
    });
    const error = await client.rerunFailedJobs(entity, 7).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('Run 7 is still in progress');
    expect(error.body.error.details).toEqual({ reason: 'not-rerunnable' });
  });
});
