import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/database/migrations.js';
import { PeopleRepository } from '../../src/people/people-repository.js';
import { PeopleWriteBatcher } from '../../src/people/people-write-batcher.js';
import { createTestDatabase } from '../support/postgres-server.js';
import { validPerson } from '../support/test-app.js';

let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(inject('postgresUrl')) });
  await applyMigrations(pool, await readMigrations());
});
afterAll(async () => {
  await pool?.end();
});

describe('PeopleWriteBatcher', () => {
  it('writes creates from one event-loop turn with one INSERT', async () => {
    const repository = new PeopleRepository(pool);
    const createMany = vi.spyOn(repository, 'createMany');
    const batcher = new PeopleWriteBatcher(repository);
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        batcher.create({ ...validPerson, name: `B${index}` }),
      ),
    );
    expect(createMany).toHaveBeenCalledTimes(1);
    expect(created.map((person) => person.name)).toEqual(
      Array.from({ length: 10 }, (_, index) => `B${index}`),
    );
  });

  it('fails only the bad row of a batch, and writes nothing for it', async () => {
    const repository = new PeopleRepository(pool);
    const batcher = new PeopleWriteBatcher(repository);
    const before = await repository.count();
    // Schema validation normally stops this; here the database's check constraint must.
    const results = await Promise.allSettled([
      batcher.create({ ...validPerson, name: 'Good 1' }),
      batcher.create({ ...validPerson, name: 'Bad', passengerClass: 9 }),
      batcher.create({ ...validPerson, name: 'Good 2' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await repository.count()).toBe(before + 2);
  });

  it('fails the whole batch at once when the database is unreachable', async () => {
    const deadPool = new pg.Pool({
      connectionString: 'postgresql://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 1_000,
    });
    try {
      const repository = new PeopleRepository(deadPool);
      const create = vi.spyOn(repository, 'create');
      const batcher = new PeopleWriteBatcher(repository);
      const results = await Promise.allSettled([
        batcher.create(validPerson),
        batcher.create(validPerson),
      ]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(create).not.toHaveBeenCalled();
    } finally {
      await deadPool.end();
    }
  });
});
