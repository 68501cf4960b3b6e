import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import knexFactory, { Knex } from 'knex';

const run = promisify(execFile);

/** PostgreSQL 15 binaries (Debian layout); PG_BIN overrides. */
const BINARIES = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A port nothing listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
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

/**
 * A throwaway PostgreSQL server in a temporary directory on a free loopback port, as the
 * titanic-service suites start one (test/support/postgres-server.ts there). initdb refuses to run
 * as root, so as root the server runs as the `postgres` user through runuser.
 */
export class PostgresServer {
  private constructor(
    private readonly directory: string,
    readonly port: number,
    private readonly asPostgresUser: boolean,
  ) {}

  static async start(): Promise<PostgresServer> {
    if (!existsSync(path.join(BINARIES, 'initdb'))) {
      throw new Error(
        `PostgreSQL binaries not found in ${BINARIES} (set PG_BIN)`,
      );
    }
    const asPostgresUser = process.getuid?.() === 0;
    const directory = await mkdtemp(path.join(tmpdir(), 'delivery-pg-'));
    if (asPostgresUser) {
      const { stdout: uid } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(directory, Number(uid), Number(gid));
    }
    const server = new PostgresServer(
      directory,
      await freePort(),
      asPostgresUser,
    );
    const data = path.join(directory, 'data');
    await server.exec('initdb', [
      ...['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8'],
      ...['--locale=C', '--no-sync'],
    ]);
    const settings = [
      `-p ${server.port}`,
      `-k ${directory}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      // Durability is not under test; speed is welcome on a shared machine.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await server.exec('pg_ctl', [
      ...['-D', data, '-o', settings],
      ...['-l', path.join(directory, 'log'), '-w', 'start'],
    ]);
    return server;
  }

  /** What app-config's backend.database takes: plugin databases are created as needed. */
  get connection() {
    return {
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      password: 'postgres',
    };
  }

  async destroy(): Promise<void> {
    await this.exec('pg_ctl', [
      ...['-D', path.join(this.directory, 'data')],
      ...['-m', 'immediate', '-w', 'stop'],
    ]).catch(() => undefined);
    await rm(this.directory, { recursive: true, force: true });
  }

  private async exec(binary: string, args: string[]): Promise<void> {
    const command = path.join(BINARIES, binary);
    if (this.asPostgresUser) {
      await run('runuser', ['-u', 'postgres', '--', command, ...args], {
        cwd: this.directory,
      });
    } else {
      await run(command, args, { cwd: this.directory });
    }
  }
}

export interface TestPostgres {
  /** A knex client on a new, empty database of the server. */
  database(): Promise<Knex>;
  stop(): Promise<void>;
}

/** A throwaway server handing out fresh databases, for tests of the plugin's own store. */
export async function startPostgres(): Promise<TestPostgres> {
  const server = await PostgresServer.start();
  const clients: Knex[] = [];
  const client = (database: string) =>
    knexFactory({
      client: 'pg',
      connection: { ...server.connection, database },
    });
  return {
    async database() {
      const name = `test_${Math.random().toString(36).slice(2, 10)}`;
      const admin = client('postgres');
      await admin.raw(`CREATE DATABASE ${name}`);
      await admin.destroy();
      const knex = client(name);
      clients.push(knex);
      return knex;
    },
    async stop() {
      await Promise.all(clients.map(knex => knex.destroy()));
      await server.destroy();
    },
  };
}
