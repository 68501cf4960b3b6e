import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/database/migrations.js';
import { parsePassengerCsv } from '../../src/people/passenger-csv.js';
import { People } from '../../src/people/people.js';
import { PeopleRepository } from '../../src/people/people-repository.js';
import { createTestDatabase } from '../support/postgres-server.js';
import { fixtureCsvPath, validPerson } from '../support/test-app.js';

/** A replica's People on its own pool, counting the single-row queries its reads by uuid send. */
class Replica {
  readonly pool: pg.Pool;
  readonly people: People;
  rowQueries = 0;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const repository = new PeopleRepository(this.pool);
    const find = repository.find.bind(repository);
    repository.find = (uuid) => {
      this.rowQueries += 1;
      return find(uuid);
    };
    this.people = new People(repository, JSON.stringify);
  }

  /** Reads by uuid until one is answered from the cache (no row query), as after a write. */
  async warm(uuid: string) {
    await expect
      .poll(async () => {
        const before = this.rowQueries;
        await this.people.find(uuid);
        return this.rowQueries - before;
      })
      .toBe(0);
  }
}

let replicaA: Replica;
let replicaB: Replica;
let seeded: string[];

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  replicaA = new Replica(databaseUrl);
  replicaB = new Replica(databaseUrl);
  await applyMigrations(replicaA.pool, await readMigrations());
  const repository = new PeopleRepository(replicaA.pool);
  await repository.seedIfEmpty(parsePassengerCsv(await readFile(fixtureCsvPath, 'utf8')));
  seeded = (await repository.snapshot()).people.map((person) => person.uuid);
});
afterAll(async () => {
  await replicaA?.pool.end();
  await replicaB?.pool.end();
});

describe('reads by uuid across replicas', () => {
  it('are answered from the cache, without a row query, once it has caught up', async () => {
    await replicaA.warm(seeded[0]!);
    const before = replicaA.rowQueries;
    for (const uuid of seeded) expect((await replicaA.people.find(uuid))?.uuid).toBe(uuid);
    expect(await replicaA.people.find('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(replicaA.rowQueries).toBe(before);
  });

  it('never answer from a warm cache a row another replica has since changed', async () => {
    for (let round = 0; round < 20; round += 1) {
      const created = await replicaB.people.create({ ...validPerson, name: `Round ${round}` });
      await replicaA.warm(created.uuid);
      expect((await replicaA.people.find(created.uuid))?.name).toBe(`Round ${round}`);

      await replicaB.people.replace(created.uuid, {
        ...validPerson,
        name: `Round ${round} renamed`,
      });
      expect((await replicaA.people.find(created.uuid))?.name).toBe(`Round ${round} renamed`);

      await replicaA.warm(created.uuid);
      expect(await replicaB.people.remove(created.uuid)).toBe(true);
      expect(await replicaA.people.find(created.uuid)).toBeUndefined();

      await replicaA.warm(seeded[0]!);
      const next = await replicaB.people.create({ ...validPerson, name: `Round ${round} next` });
      expect((await replicaA.people.find(next.uuid))?.name).toBe(`Round ${round} next`);
      await replicaB.people.remove(next.uuid);
    }
  });

  it('each see every write committed before they were asked, while writes keep landing', async () => {
    await replicaA.warm(seeded[0]!);
    const target = seeded[1]!;
    const reads: Array<Promise<void>> = [];
    for (let version = 1; version <= 40; version += 1) {
      await replicaB.people.replace(target, { ...validPerson, age: version });
      // Issued after the write committed: must see it, or a later one, never an older one.
      reads.push(
        ...Array.from({ length: 5 }, async () => {
          const person = await replicaA.people.find(target);
          expect(person!.age).toBeGreaterThanOrEqual(version);
        }),
      );
    }
    await Promise.all(reads);
  });
});
