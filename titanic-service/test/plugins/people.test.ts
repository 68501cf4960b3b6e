import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import database from '../../src/plugins/database.js';
import people from '../../src/plugins/people.js';
import { createTestDatabase } from '../support/postgres-server.js';
import { fixtureCsvPath } from '../support/test-app.js';

let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
});

describe('the database and people plugins', () => {
  const apps: Array<ReturnType<typeof Fastify>> = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('refuses to load people without the database plugin it declares', async () => {
    const app = Fastify({ logger: false });
    app.register(people);
    await expect(app.ready()).rejects.toThrow(/dependency 'database'/);
  });

  it('loads people on a migrated database, seeded and with the list preloaded', async () => {
    const app = Fastify({ logger: false });
    apps.push(app);
    app.register(database, { connectionString: databaseUrl, poolSize: 2 });
    app.register(people, { seedCsvPath: fixtureCsvPath });
    await app.ready();
    expect(app.latestMigration).toBeGreaterThan(0);
    expect(await app.people.count()).toBe(8);
    expect((await app.people.list()).people).toHaveLength(8);
  });
});
