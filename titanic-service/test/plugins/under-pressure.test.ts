import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../support/postgres-server.js';
import { startApp } from '../support/test-app.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await startApp(await createTestDatabase(inject('postgresUrl')), {
    // The sampler averages lag over a second, so a long stall shows as tens of milliseconds.
    maxEventLoopDelayMs: 15,
  });
});
afterAll(async () => {
  await app?.close();
});

describe('load shedding', () => {
  it(
    'answers 503 with Retry-After after the event loop stalls, then recovers',
    { timeout: 30_000 },
    async () => {
      const stalledUntil = Date.now() + 3_000;
      while (Date.now() < stalledUntil) {
        // Block the event loop, as a runaway synchronous task would.
      }
      // The sampler reports the stall within its next one-second interval.
      let shed = await app.inject({ method: 'GET', url: '/people' });
      for (let waited = 0; shed.statusCode !== 503 && waited < 3_000; waited += 50) {
        await sleep(50);
        shed = await app.inject({ method: 'GET', url: '/people' });
      }
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBe('1');

      await expect
        .poll(async () => (await app.inject({ method: 'GET', url: '/people' })).statusCode, {
          timeout: 10_000,
          interval: 250,
        })
        .toBe(200);
    },
  );
});
