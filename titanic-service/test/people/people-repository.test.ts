import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/database/migrations.js';
import { parsePassengerCsv } from '../../src/people/passenger-csv.js';
import { PeopleRepository } from '../../src/people/people-repository.js';
import { createTestDatabase } from '../support/postgres-server.js';
import { dataSetCsvPath, fixtureCsvPath, startApp } from '../support/test-app.js';

let databaseUrl: string;
let pool: pg.Pool;
let people: PeopleRepository;

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
  pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  await applyMigrations(pool, await readMigrations());
  people = new PeopleRepository(pool);
});
afterAll(async () => {
  await pool?.end();
});
beforeEach(async () => {
  await pool.query('TRUNCATE people');
});

/** What the API must answer for each CSV row: the file parsed independently of the service. */
async function expectedFromCsv(path: string) {
  const { parse } = await import('csv-parse/sync');
  const rows = parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
  return rows.map((row) => ({
    survived: row.Survived === '1',
    passengerClass: Number.parseInt(row.Pclass!, 10),
    name: row.Name,
    sex: row.Sex,
    age: Number.parseFloat(row.Age!),
    siblingsOrSpousesAboard: Number.parseInt(row['Siblings/Spouses Aboard']!, 10),
    parentsOrChildrenAboard: Number.parseInt(row['Parents/Children Aboard']!, 10),
    fare: Number.parseFloat(row.Fare!),
  }));
}

async function seededThroughTheApi(csvPath: string) {
  const app = await startApp(databaseUrl, { seedCsvPath: csvPath });
  try {
    const response = await app.inject({ method: 'GET', url: '/people' });
    return { raw: response.body, people: response.json() as Array<Record<string, unknown>> };
  } finally {
    await app.close();
  }
}

describe('seeding from the passenger CSV', () => {
  it.skipIf(dataSetCsvPath === undefined)(
    'loads the 887-row data set mapping every column exactly, in file order',
    async () => {
      const expected = await expectedFromCsv(dataSetCsvPath!);
      expect(expected).toHaveLength(887);
      const { raw, people: seeded } = await seededThroughTheApi(dataSetCsvPath!);
      expect(seeded).toHaveLength(887);
      expect(seeded.map(({ uuid: _uuid, ...person }) => person)).toEqual(expected);
      expect(new Set(seeded.map((person) => person.uuid)).size).toBe(887);
      expect(new Set(seeded.map((person) => person.name)).size).toBe(887);
      // Typed as the swagger says: whole ages and fares stay integers in the JSON text.
      expect(raw).toContain('"age":22,');
      expect(raw).toContain('"age":0.42,');
      expect(seeded.filter((person) => !Number.isInteger(person.age))).toHaveLength(25);
      expect(seeded.filter((person) => Number.isInteger(person.fare))).toHaveLength(161);
      expect(raw).toContain('"name":"Mrs. John Bradley (Florence Briggs Thayer) Cumings"');
    },
  );

  it('loads the fixture with quotes, parentheses and fractional ages exactly', async () => {
    const expected = await expectedFromCsv(fixtureCsvPath);
    const { people: seeded } = await seededThroughTheApi(fixtureCsvPath);
    expect(seeded.map(({ uuid: _uuid, ...person }) => person)).toEqual(expected);
    expect(seeded.map((person) => person.name)).toContain('Mr. Patrick "Pat" O\'Leary, Jr.');
  });

  it('seeds only an empty table, once, when several replicas start together', async () => {
    const records = parsePassengerCsv(await readFile(fixtureCsvPath, 'utf8'));
    const results = await Promise.all(
      Array.from({ length: 6 }, () => new PeopleRepository(pool).seedIfEmpty(records)),
    );
    expect(results.filter((seeded) => seeded > 0)).toEqual([records.length]);
    expect(await people.count()).toBe(records.length);
    expect(await people.seedIfEmpty(records)).toBe(0);
    expect(await people.count()).toBe(records.length);
  });

  it('writes nothing when a row fails in the database (one transaction)', async () => {
    const records = parsePassengerCsv(await readFile(fixtureCsvPath, 'utf8'));
    const broken = [...records, { ...records[0]!, passengerClass: 9 }];
    await expect(people.seedIfEmpty(broken)).rejects.toThrow(/check constraint/);
    expect(await people.count()).toBe(0);
  });

  it('refuses to start on a malformed seed file', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const directory = await mkdtemp(`${tmpdir()}/titanic-seed-`);
    const path = `${directory}/bad.csv`;
    await writeFile(path, 'Survived,Pclass\n1,1\n');
    await expect(startApp(databaseUrl, { seedCsvPath: path })).rejects.toThrow(/missing/);
    expect(await people.count()).toBe(0);
  });
});

describe('PeopleRepository', () => {
  it('creates many in one statement, returned in the order given', async () => {
    const records = parsePassengerCsv(await readFile(fixtureCsvPath, 'utf8'));
    const created = await people.createMany(records);
    expect(created.map(({ uuid: _uuid, version: _version, ...person }) => person)).toEqual(records);
    const changes = await people.changes();
    await people.remove(created[0]!.uuid);
    expect(await people.changes()).not.toBe(changes);
  });

  it('bumps the change counter on every committed write and never on a rolled-back one', async () => {
    const start = BigInt(await people.changes());
    const [person] = await people.createMany(
      parsePassengerCsv(await readFile(fixtureCsvPath, 'utf8')).slice(0, 1),
    );
    const afterCreate = BigInt(await people.changes());
    expect(afterCreate).toBeGreaterThan(start);
    await people.replace(person!.uuid, { ...person!, name: 'Other' });
    const afterUpdate = BigInt(await people.changes());
    expect(afterUpdate).toBeGreaterThan(afterCreate);

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM people');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(BigInt(await people.changes())).toBe(afterUpdate);
  });
});
