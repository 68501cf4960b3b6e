import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresServer } from '../support/postgres-server.js';
import { fixtureCsvPath, startApp, validPerson } from '../support/test-app.js';

// This file stops its database, so it has a PostgreSQL server of its own.
let server: PostgresServer;
let app: FastifyInstance;

beforeAll(async () => {
  server = await PostgresServer.start();
  app = await startApp(await server.createDatabase(), { seedCsvPath: fixtureCsvPath });
});
afterAll(async () => {
  await app?.close();
  await server?.destroy();
});

describe('probes', () => {
  it('reports liveness without the database and readiness with it', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready while the database lacks the newest migration', async () => {
    const { rows } = await app.pool.query(
      'DELETE FROM schema_migrations WHERE version = 2 RETURNING *',
    );
    try {
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().reason).toMatch(/not migrated/);
    } finally {
      await app.pool.query(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [rows[0].version, rows[0].name, rows[0].applied_at],
      );
    }
  });

  it('answers 503 while the database is down and recovers without a restart', async () => {
    const uuid = (await app.inject({ method: 'GET', url: '/people' })).json()[0].uuid;
    await server.stop();
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable', reason: 'database is unreachable' });

      for (const request of [
        { method: 'GET' as const, url: '/people' },
        { method: 'GET' as const, url: `/people/${uuid}` },
        { method: 'POST' as const, url: '/people', payload: validPerson },
        { method: 'PUT' as const, url: `/people/${uuid}`, payload: validPerson },
        { method: 'DELETE' as const, url: `/people/${uuid}` },
      ]) {
        const response = await app.inject(request);
        expect(response.statusCode, `${request.method} ${request.url}`).toBe(503);
        expect(response.headers['retry-after']).toBe('1');
        expect(response.json()).toMatchObject({ statusCode: 503 });
      }
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
    } finally {
      await server.resume();
    }

    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const list = await app.inject({ method: 'GET', url: '/people' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toHaveLength(8);
    expect((await app.inject({ method: 'GET', url: `/people/${uuid}` })).statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: '/people', payload: validPerson })).statusCode,
    ).toBe(201);
  });
});
