import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from '../../src/database/embedded-database.js';
import { describeContract } from '../support/contract.js';
import { startApp } from '../support/test-app.js';

// The path `npm start` takes with no DATABASE_URL: PGlite behind a socket, through the same pool.
let database: EmbeddedDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await startEmbeddedDatabase();
  app = await startApp(database.connectionString, { poolSize: 1 });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describeContract('the people API on embedded PGlite', () => app);

describe('the embedded PGlite', () => {
  it('keeps answering after the pool replaces its connection (PGlite has one session)', async () => {
    const lookup = async () =>
      (await app.inject({ method: 'GET', url: '/people/00000000-0000-4000-8000-000000000000' }))
        .statusCode;
    expect(await lookup()).toBe(404);
    // What the pool does to a connection idle for 30 s: close it, and open a new one when needed.
    const client = await app.pool.connect();
    client.release(true);
    // PGlite's socket server admits the new connection once it has seen the old one close (503
    // until then); from then on the statements must prepare again.
    await expect.poll(lookup, { timeout: 10_000 }).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/people' })).statusCode).toBe(200);
  });
});
