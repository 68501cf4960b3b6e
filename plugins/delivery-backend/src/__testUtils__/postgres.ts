import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import knexFactory, { Knex } from 'knex';

/*
 * A throwaway PostgreSQL 15 server for the plugin's database tests: what production runs, not
 * SQLite. initdb refuses to run as root, so as root the server runs as the `postgres` user.
 */

const run = promisify(execFile);
const BINARIES = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

export interface TestPostgres {
  /** A knex client on a new, empty database of the server. */
  database(): Promise<Knex>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  if (!existsSync(path.join(BINARIES, 'initdb'))) {
    throw new Error(
      `PostgreSQL binaries not found in ${BINARIES} (set PG_BIN)`,
    );
  }
  const asPostgres = process.getuid?.() === 0;
  const directory = await mkdtemp(path.join(tmpdir(), 'delivery-pg-'));
  if (asPostgres) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout);
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout);
    await chown(directory, uid, gid);
  }
  const exec = (binary: string, args: string[]) =>
    asPostgres
      ? run(
          'runuser',
          ['-u', 'postgres', '--', path.join(BINARIES, binary), ...args],
          {
            cwd: directory,
          },
        )
      : run(path.join(BINARIES, binary), args, { cwd: directory });
  const data = path.join(directory, 'data');
  const port = await freePort();
  await exec('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  await exec('pg_ctl', [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`,
    '-l',
    path.join(directory, 'log'),
    '-w',
    'start',
  ]);
  const connection = (database: string) => ({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'postgres',
    database,
  });
  const clients: Knex[] = [];
  return {
    async database() {
      const name = `test_${Math.random().toString(36).slice(2, 10)}`;
      const admin = knexFactory({
        client: 'pg',
        connection: connection('postgres'),
      });
      await admin.raw(`CREATE DATABASE ${name}`);
      await admin.destroy();
      const client = knexFactory({
        client: 'pg',
        connection: connection(name),
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map(client => client.destroy()));
      await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(
        () => undefined,
      );
      await rm(directory, { recursive: true, force: true });
    },
  };
}
