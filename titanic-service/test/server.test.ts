import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from './support/postgres-server.js';
import { validPerson } from './support/test-app.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
let databaseUrl: string;
let database: pg.Pool;

// The real entry point (`npm start` runs dist/server.js), built from the current sources.
beforeAll(async () => {
  await promisify(execFile)(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
    { cwd: packageRoot },
  );
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
  database = new pg.Pool({ connectionString: databaseUrl, max: 2 });
}, 120_000);
afterAll(async () => {
  await database?.end();
});

async function startServer(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; baseUrl: string; logs: string[] }> {
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: packageRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '4',
      LOG_LEVEL: 'info',
      // A start-up stall on a loaded machine must not shed the requests under test.
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let buffered = '';
  const listening = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${logs.join('\n')}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        logs.push(line);
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  });
  return { child, baseUrl: await listening, logs };
}

describe('server.ts', () => {
  it('logs JSON lines carrying the request id', async () => {
    const { child, baseUrl, logs } = await startServer();
    try {
      const response = await fetch(`${baseUrl}/health`, { headers: { 'x-request-id': 'abc-123' } });
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const entries = logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      expect(entries.some((entry) => entry.requestId === 'abc-123')).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('allows the origins CORS_ALLOWED_ORIGINS names and lists PUBLIC_BASE_URL as the server', async () => {
    const { child, baseUrl } = await startServer({
      CORS_ALLOWED_ORIGINS: 'http://localhost:7007',
      PUBLIC_BASE_URL: 'http://localhost:7090',
    });
    try {
      const preflight = await fetch(`${baseUrl}/people`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:7007', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:7007');
      const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
        servers?: unknown;
      };
      expect(document.servers).toEqual([{ url: 'http://localhost:7090' }]);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('finishes every in-flight request on SIGTERM, then closes and exits 0', async () => {
    const { child, baseUrl, logs } = await startServer();
    const before = (await database.query('SELECT count(*)::int AS count FROM people')).rows[0]
      .count;
    // Hold writes in the database so the requests are certainly in flight when the signal lands.
    const blocker = await database.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE');

    const inFlight = Array.from({ length: 40 }, (_, index) =>
      fetch(`${baseUrl}/people`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...validPerson, name: `In flight ${index}` }),
      }).then(async (response) => ({ status: response.status, body: await response.json() })),
    );
    await expect
      .poll(
        async () =>
          (
            await database.query(
              `SELECT count(*)::int AS waiting FROM pg_stat_activity
               WHERE application_name = 'titanic-service' AND wait_event_type = 'Lock'`,
            )
          ).rows[0].waiting,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(child.exitCode).toBeNull(); // still finishing its requests

    // New requests are turned away (refused, or 503 on a socket that was already open).
    const late = await fetch(`${baseUrl}/health`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);

    await blocker.query('COMMIT');
    blocker.release();

    const responses = await Promise.all(inFlight);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 201));
    const [code] = await exited;
    expect(code, logs.join('\n')).toBe(0);
    const after = (await database.query('SELECT count(*)::int AS count FROM people')).rows[0].count;
    expect(after - before).toBe(40);
    expect(logs.some((line) => line.includes('shut down cleanly'))).toBe(true);
  });
});
