import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../support/postgres-server.js';
import { fixtureCsvPath, startApp, validPerson } from '../support/test-app.js';

// Two replicas of the service on one database, plus a plain SQL writer: whatever one of them
// commits, the other's next read must show, cache or no cache.
let replicaA: FastifyInstance;
let replicaB: FastifyInstance;
let writer: pg.Pool;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  replicaA = await startApp(databaseUrl, { seedCsvPath: fixtureCsvPath });
  replicaB = await startApp(databaseUrl, { seedCsvPath: fixtureCsvPath });
  writer = new pg.Pool({ connectionString: databaseUrl, max: 2 });
});
afterAll(async () => {
  await replicaA?.close();
  await replicaB?.close();
  await writer?.end();
});

const list = async (app: FastifyInstance) =>
  (await app.inject({ method: 'GET', url: '/people' })).json() as Array<{
    uuid: string;
    name: string;
  }>;
const get = (app: FastifyInstance, uuid: string) =>
  app.inject({ method: 'GET', url: `/people/${uuid}` });

describe('the cached people list', () => {
  it('is seeded once even though both replicas were given the CSV', async () => {
    expect(await list(replicaA)).toHaveLength(8);
    expect(await list(replicaB)).toEqual(await list(replicaA));
  });

  it("never misses another replica's committed create, update or delete", async () => {
    for (let round = 0; round < 20; round += 1) {
      await list(replicaA); // warm A's cache
      const created = (
        await replicaB.inject({
          method: 'POST',
          url: '/people',
          payload: { ...validPerson, name: `Round ${round}` },
        })
      ).json();
      expect((await list(replicaA)).map((person) => person.uuid)).toContain(created.uuid);
      expect((await get(replicaA, created.uuid)).statusCode).toBe(200);

      await replicaB.inject({
        method: 'PUT',
        url: `/people/${created.uuid}`,
        payload: { ...validPerson, name: `Round ${round} renamed` },
      });
      expect((await get(replicaA, created.uuid)).json().name).toBe(`Round ${round} renamed`);
      expect((await list(replicaA)).find((person) => person.uuid === created.uuid)?.name).toBe(
        `Round ${round} renamed`,
      );

      await replicaB.inject({ method: 'DELETE', url: `/people/${created.uuid}` });
      expect((await get(replicaA, created.uuid)).statusCode).toBe(404);
      expect((await list(replicaA)).map((person) => person.uuid)).not.toContain(created.uuid);
    }
  });

  it('shows a plain SQL write only once it commits', async () => {
    const before = await list(replicaA);
    const client = await writer.connect();
    try {
      await client.query('BEGIN');
      await client.query("UPDATE people SET name = 'Changed by SQL' WHERE uuid = $1", [
        before[0]!.uuid,
      ]);
      expect(await list(replicaA)).toEqual(before);
      expect((await get(replicaA, before[0]!.uuid)).json().name).toBe(before[0]!.name);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await list(replicaA))[0]!.name).toBe('Changed by SQL');
    expect((await get(replicaA, before[0]!.uuid)).json().name).toBe('Changed by SQL');
  });

  it('answers concurrent readers with the state as of each request while writes land', async () => {
    const writes = Array.from({ length: 30 }, (_, index) =>
      replicaB
        .inject({
          method: 'POST',
          url: '/people',
          payload: { ...validPerson, name: `Burst ${index}` },
        })
        .then(async (response) => {
          // Issued after the create answered: must include it, however many reads share a query.
          const uuid = response.json().uuid as string;
          const [byId, all] = await Promise.all([get(replicaA, uuid), list(replicaA)]);
          expect(byId.statusCode).toBe(200);
          expect(all.map((person) => person.uuid)).toContain(uuid);
        }),
    );
    await Promise.all(writes);
  });
});
