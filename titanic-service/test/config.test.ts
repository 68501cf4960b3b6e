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
      corsAllowedOrigins: [],
      corsAllowCredentials: false,
      publicBaseUrl: undefined,
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
        CORS_ALLOWED_ORIGINS: 'http://localhost:7007, https://portal.example.com',
        CORS_ALLOW_CREDENTIALS: 'true',
        PUBLIC_BASE_URL: 'http://localhost:7090',
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
      corsAllowedOrigins: ['http://localhost:7007', 'https://portal.example.com'],
      corsAllowCredentials: true,
      publicBaseUrl: 'http://localhost:7090',
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '2.5'],
    ['CORS_ALLOWED_ORIGINS', 'http://localhost:7007/'],
    ['CORS_ALLOWED_ORIGINS', 'https://portal.example.com/catalog'],
    ['CORS_ALLOWED_ORIGINS', 'portal.example.com'],
    ['CORS_ALLOW_CREDENTIALS', 'yes'],
    ['PUBLIC_BASE_URL', 'localhost:7090'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(name);
  });

  it('reads "*" as any origin, and an empty list as none', () => {
    expect(readConfig({ CORS_ALLOWED_ORIGINS: '*' }).corsAllowedOrigins).toEqual(['*']);
    expect(readConfig({ CORS_ALLOWED_ORIGINS: ' , ' }).corsAllowedOrigins).toEqual([]);
  });
});
