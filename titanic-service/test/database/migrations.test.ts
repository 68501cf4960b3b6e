import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { applyMigrations, isMigrated, readMigrations } from '../../src/database/migrations.js';
import { createTestDatabase } from '../support/postgres-server.js';

let pool: pg.Pool;

beforeEach(async () => {
  pool = new pg.Pool({
    connectionString: await createTestDatabase(inject('postgresUrl')),
    max: 12,
  });
});
afterEach(async () => {
  await pool?.end();
});

async function migrationsIn(files: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'titanic-migrations-'));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(directory, name), sql);
  return directory;
}

describe('migrations', () => {
  it('reads the numbered files in order', async () => {
    const migrations = await readMigrations();
    expect(migrations.map((migration) => migration.version)).toEqual([1, 2]);
    expect(migrations[0]!.name).toBe('create-people');
  });

  it('are idempotent: a second run applies nothing and changes nothing', async () => {
    const migrations = await readMigrations();
    expect(await isMigrated(pool, 2).catch(() => false)).toBe(false);
    expect(await applyMigrations(pool, migrations)).toEqual([1, 2]);
    await pool.query(`INSERT INTO people (uuid, survived, passenger_class, name, sex, age,
      siblings_or_spouses_aboard, parents_or_children_aboard, fare)
      VALUES (gen_random_uuid(), true, 1, 'Kept', 'female', 30, 0, 0, 10)`);
    expect(await applyMigrations(pool, migrations)).toEqual([]);
    const { rows } = await pool.query('SELECT name FROM people');
    expect(rows).toEqual([{ name: 'Kept' }]);
    expect(await isMigrated(pool, 2)).toBe(true);
    expect(await isMigrated(pool, 3)).toBe(false);
  });

  it('apply each migration exactly once when many replicas start at the same moment', async () => {
    const migrations = await readMigrations();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => applyMigrations(pool, migrations)),
    );
    expect(results.flat().sort()).toEqual([1, 2]);
    const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('roll a failing migration back entirely and record nothing for it', async () => {
    const directory = await migrationsIn({
      '001-good.sql': 'CREATE TABLE good (id int);',
      '002-bad.sql': 'CREATE TABLE half (id int); SELECT no_such_function();',
    });
    await expect(applyMigrations(pool, await readMigrations(directory))).rejects.toThrow(
      /Migration 2-bad failed/,
    );
    const { rows } = await pool.query(
      "SELECT to_regclass('good') AS good, to_regclass('half') AS half",
    );
    expect(rows[0]).toEqual({ good: 'good', half: null });
    expect(await isMigrated(pool, 1)).toBe(true);
  });

  it('refuse badly named or duplicate files', async () => {
    await expect(readMigrations(await migrationsIn({ 'create.sql': '' }))).rejects.toThrow(
      /NNN-description/,
    );
    await expect(
      readMigrations(await migrationsIn({ '001-a.sql': '', '01-b.sql': '' })),
    ).rejects.toThrow(/share a version/);
  });
});
