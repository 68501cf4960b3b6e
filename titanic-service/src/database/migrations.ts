import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type pg from 'pg';

/** `migrations/` at the package root, both from `src/database/` and from `dist/database/`. */
export const migrationsDirectory = fileURLToPath(new URL('../../migrations', import.meta.url));

// Any constant shared by every replica; it names the lock that serializes concurrent migrators.
const migrationLockKey = 7_413_620_101;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const migrationFilePattern = /^(\d+)-([\w-]+)\.sql$/;

export async function readMigrations(directory = migrationsDirectory): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = migrationFilePattern.exec(file);
    if (!match) throw new Error(`Migration file "${file}" is not named NNN-description.sql`);
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      sql: await readFile(path.join(directory, file), 'utf8'),
    });
  }
  const versions = new Set(migrations.map((migration) => migration.version));
  if (versions.size !== migrations.length) throw new Error('Two migrations share a version number');
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction, while holding a session advisory lock
 * so replicas starting together apply each migration exactly once. Returns the versions applied.
 */
export async function applyMigrations(pool: pg.Pool, migrations: Migration[]): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations',
      );
      const done = new Set(rows.map((row) => row.version));
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(
            `Migration ${migration.version}-${migration.name} failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
        applied.push(migration.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    }
  } finally {
    client.release();
  }
  return applied;
}

/** True when the database answers and holds every migration this build knows about. */
export async function isMigrated(pool: pg.Pool, latestVersion: number): Promise<boolean> {
  const { rows } = await pool.query<{ migrated: boolean }>({
    name: 'titanic-is-migrated',
    text: 'SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1) AS migrated',
    values: [latestVersion],
  });
  return rows[0]?.migrated === true;
}
