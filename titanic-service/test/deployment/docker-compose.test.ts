import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const composePath = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}

const compose = async () =>
  parse(await readFile(composePath, 'utf8')) as { services: Record<string, Service> };

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 16 with a pg_isready health check', async () => {
    const { postgres } = (await compose()).services;
    expect(postgres!.image).toBe('postgres:16');
    expect(postgres!.healthcheck!.test.join(' ')).toContain('pg_isready');
  });

  it('starts the service only once the database is healthy', async () => {
    const service = (await compose()).services['titanic-service']!;
    expect(service.build).toBe('.');
    expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(String(service.environment!.DATABASE_URL)).toMatch(/@postgres:5432\//);
    expect(service.ports).toEqual(['${TITANIC_PORT:-8080}:8080']);
  });

  it('takes every setting from the environment with a default', async () => {
    const text = await readFile(composePath, 'utf8');
    const service = (await compose()).services['titanic-service']!;
    for (const name of [
      'DATABASE_POOL_SIZE',
      'LOG_LEVEL',
      'TITANIC_SEED_CSV',
      'CORS_ALLOWED_ORIGINS',
      'PUBLIC_BASE_URL',
    ]) {
      expect(service.environment![name]).toMatch(new RegExp(`^\\$\\{${name}:-.*\\}$`));
    }
    // `$${VAR}` is an escape for the container's shell, not compose interpolation.
    const interpolations = text.match(/(?<!\$)\$\{[^}]+\}/g) ?? [];
    expect(interpolations.length).toBeGreaterThan(5);
    for (const interpolation of interpolations) expect(interpolation).toMatch(/^\$\{\w+:-[^}]*\}$/);
  });
});
