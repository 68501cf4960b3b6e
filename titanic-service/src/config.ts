/** Settings read from the environment; names are shared with the deployment manifests. */
export interface ServiceConfig {
  port: number;
  host: string;
  /** Absent: an embedded PGlite is started instead (local use only). */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  seedCsvPath: string | undefined;
  logLevel: string;
  /** Event-loop lag beyond which requests are shed with 503; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** How long graceful shutdown may wait for in-flight requests before giving up. */
  shutdownTimeoutMs: number;
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function readOptional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    port: readInteger(env, 'PORT', 8080, 0),
    host: readOptional(env, 'HOST') ?? '0.0.0.0',
    databaseUrl: readOptional(env, 'DATABASE_URL'),
    databasePoolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1),
    seedCsvPath: readOptional(env, 'TITANIC_SEED_CSV'),
    logLevel: readOptional(env, 'LOG_LEVEL') ?? 'info',
    maxEventLoopDelayMs: readInteger(env, 'MAX_EVENT_LOOP_DELAY_MS', 1_000, 0),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0),
  };
}
