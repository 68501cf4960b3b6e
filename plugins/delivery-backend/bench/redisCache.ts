/*
 * The scale benchmark's cache: a throwaway Redis started as `scripts/portal --production` starts
 * its own — capped (maxmemory, least-recently-used keys evicted) — and asked how much it holds.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from '../src/__testUtils__/postgresServer';

export const REDIS_MAX_MEMORY = '1gb';

export interface RedisCache {
  url: string;
  /** INFO memory's used_memory, in MB. */
  usedMb(): Promise<number>;
  /** Empties it, so a phase starts from a cold cache. */
  flush(): Promise<void>;
  /** Stops it at once (the process is about to exit). */
  kill(): void;
}

/** Sends one inline command and reads the bulk reply. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('data', chunk => {
      data += chunk;
      const header = /^\$(\d+)\r\n/.exec(data);
      if (data.startsWith('+') || data.startsWith('-')) {
        socket.end();
        resolve(data.trim());
      } else if (
        header &&
        data.length >= header[0].length + Number(header[1])
      ) {
        socket.end();
        resolve(data.slice(header[0].length));
      }
    });
    socket.write(`${line}\r\n`);
  });
}

export async function startRedisCache(): Promise<RedisCache> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory',
      REDIS_MAX_MEMORY,
      '--maxmemory-policy',
      'allkeys-lru',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await command(port, 'PING')) === '+PONG') break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`redis-server did not start: ${error}`);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    usedMb: async () => {
      const info = await command(port, 'INFO memory');
      const bytes = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
      return Math.round(bytes / 1024 / 1024);
    },
    flush: async () => {
      await command(port, 'FLUSHALL');
    },
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
