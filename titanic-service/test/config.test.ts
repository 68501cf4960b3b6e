import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('readConfig', () => {
  it('defaults to port 8080, all interfaces, an embedded database and info logs', () => {
    expect(readConfig({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: undefined,
      databasePoolSize: 10,
      seedCsvPath: undefined,
      logLevel: 'info',
      maxEventLoopDelayMs: 1_000,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('reads every setting from the environment', () => {
    expect(
      readConfig({
        PORT: '9000',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgresql://db/titanic',
        DATABASE_POOL_SIZE: '32',
        TITANIC_SEED_CSV: '/data/titanic.csv',
        LOG_LEVEL: 'warn',
        SHUTDOWN_TIMEOUT_MS: '500',
        MAX_EVENT_LOOP_DELAY_MS: '0',
      }),
    ).toEqual({
      port: 9000,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://db/titanic',
      databasePoolSize: 32,
      seedCsvPath: '/data/titanic.csv',
      logLevel: 'warn',
      maxEventLoopDelayMs: 0,
      shutdownTimeoutMs: 500,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '2.5'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(name);
  });
});
