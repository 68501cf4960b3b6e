import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../support/postgres-server.js';
import { fixtureCsvPath, startApp } from '../support/test-app.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await startApp(await createTestDatabase(inject('postgresUrl')), {
    seedCsvPath: fixtureCsvPath,
    poolSize: 7,
  });
});
afterAll(async () => {
  await app?.close();
});

const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

describe('/metrics', () => {
  it('exports the metric names the monitoring stack relies on', async () => {
    await app.inject({ method: 'GET', url: '/people' });
    const body = await scrape();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'http_request_duration_seconds',
      'http_requests_total',
      'titanic_db_pool_connections',
      'titanic_db_pool_max_connections',
      'titanic_people',
    ]) {
      expect(body).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
  });

  it('labels requests by method, route template and status code', async () => {
    const person = (await app.inject({ method: 'GET', url: '/people' })).json()[0];
    await app.inject({ method: 'GET', url: `/people/${person.uuid}` });
    await app.inject({ method: 'GET', url: '/no-such-route' });
    const body = await scrape();
    expect(body).toContain(
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/people/:uuid",status_code="200"}',
    );
    expect(body).toContain(
      'http_requests_total{method="GET",route="/people/:uuid",status_code="200"}',
    );
    expect(body).toContain('route="unmatched",status_code="404"');
    expect(body).not.toContain(person.uuid);
  });

  it('reports the pool and the number of people', async () => {
    const body = await scrape();
    expect(body).toMatch(/^titanic_people 8$/m);
    expect(body).toMatch(/^titanic_db_pool_max_connections 7$/m);
    expect(body).toMatch(/^titanic_db_pool_connections\{state="total"\} \d+$/m);
    expect(body).toMatch(/^titanic_db_pool_connections\{state="idle"\} \d+$/m);
    expect(body).toMatch(/^titanic_db_pool_connections\{state="waiting"\} 0$/m);
  });
});
