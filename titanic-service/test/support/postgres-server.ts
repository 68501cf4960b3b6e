import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** PostgreSQL 15 binaries (Debian layout); PG_BIN overrides. */
export const postgresBinaries = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function postgresUid(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throwaway PostgreSQL server in a temporary directory on a free loopback port. initdb refuses
 * to run as root, so as root (CI) the server runs as the `postgres` user through runuser.
 */
export class PostgresServer {
  private constructor(
    private readonly directory: string,
    readonly port: number,
    private readonly asPostgresUser: boolean,
  ) {}

  static async start(): Promise<PostgresServer> {
    if (!existsSync(path.join(postgresBinaries, 'initdb'))) {
      throw new Error(`PostgreSQL binaries not found in ${postgresBinaries} (set PG_BIN)`);
    }
    const asPostgresUser = process.getuid?.() === 0;
    const directory = await mkdtemp(path.join(tmpdir(), 'titanic-pg-'));
    if (asPostgresUser) {
      const { uid, gid } = await postgresUid();
      await chown(directory, uid, gid);
    }
    const server = new PostgresServer(directory, await freePort(), asPostgresUser);
    await server.exec('initdb', [
      '-D',
      server.dataDirectory,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await server.resume();
    return server;
  }

  private get dataDirectory(): string {
    return path.join(this.directory, 'data');
  }

  private async exec(binary: string, args: string[]): Promise<void> {
    const command = path.join(postgresBinaries, binary);
    if (this.asPostgresUser) {
      await run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: this.directory });
    } else {
      await run(command, args, { cwd: this.directory });
    }
  }

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts (or restarts after `stop`) the server on the same port and data. */
  async resume(): Promise<void> {
    const settings = [
      `-p ${this.port}`,
      `-k ${this.directory}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      // Durability is not under test; speed is welcome on a shared machine.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await this.exec('pg_ctl', [
      '-D',
      this.dataDirectory,
      '-o',
      settings,
      '-l',
      path.join(this.directory, 'log'),
      '-w',
      'start',
    ]);
  }

  /** Stops the server, keeping its data (to test outages). */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDirectory, '-m', 'fast', '-w', 'stop']);
  }

  /** A new, empty database on this server. */
  async createDatabase(): Promise<string> {
    return createTestDatabase(this.url());
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** A new, empty database; each test file gets its own so files can run in parallel. */
export async function createTestDatabase(serverUrl: string): Promise<string> {
  const name = `test_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
