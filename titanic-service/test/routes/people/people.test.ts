import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeContract } from '../../support/contract.js';
import { createTestDatabase } from '../../support/postgres-server.js';
import { startApp, validPerson } from '../../support/test-app.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await startApp(await createTestDatabase(inject('postgresUrl')));
});
afterAll(async () => {
  await app?.close();
});

describeContract('the people API on PostgreSQL 15', () => app);

describe('the people API under concurrency', () => {
  it('keeps every one of 200 concurrent creates, none lost or doubled', async () => {
    const before = (await app.inject({ method: 'GET', url: '/people' })).json().length;
    const names = Array.from({ length: 200 }, (_, index) => `Concurrent ${index}`);
    const responses = await Promise.all(
      names.map((name) =>
        app.inject({ method: 'POST', url: '/people', payload: { ...validPerson, name } }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(names.map(() => 201));
    const created = responses.map((response) => response.json());
    expect(new Set(created.map((person) => person.uuid)).size).toBe(200);
    expect(created.map((person) => person.name)).toEqual(names);

    const list = (await app.inject({ method: 'GET', url: '/people' })).json() as Array<{
      name: string;
    }>;
    expect(list).toHaveLength(before + 200);
    const listed = list.filter((person) => person.name.startsWith('Concurrent '));
    expect(listed.map((person) => person.name).sort()).toEqual([...names].sort());
  });
});
