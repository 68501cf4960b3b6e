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
  /** Browser origins allowed to call the API (CORS); none by default. `*` means any. */
  corsAllowedOrigins: string[];
  /** Whether those pages may send credentials; refused together with `*`. */
  corsAllowCredentials: boolean;
  /** The URL clients reach the service at: /openapi.json names it as the server. */
  publicBaseUrl: string | undefined;
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

function readBoolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = readOptional(env, name) ?? 'false';
  if (raw !== 'true' && raw !== 'false') {
    throw new Error(`${name} must be true or false, got "${raw}"`);
  }
  return raw === 'true';
}

/** A comma-separated list of origins (`scheme://host[:port]`, nothing after it) or `*`. */
function readOrigins(env: NodeJS.ProcessEnv, name: string): string[] {
  const origins = (readOptional(env, name) ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (origin !== '*' && !isOrigin(origin)) {
      throw new Error(
        `${name} must list origins such as https://portal.example.com, got "${origin}"`,
      );
    }
  }
  return origins;
}

function isOrigin(text: string): boolean {
  return URL.canParse(text) && new URL(text).origin === text;
}

function readUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = readOptional(env, name);
  if (raw !== undefined && !(URL.canParse(raw) && /^https?:$/.test(new URL(raw).protocol))) {
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
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
    corsAllowedOrigins: readOrigins(env, 'CORS_ALLOWED_ORIGINS'),
    corsAllowCredentials: readBoolean(env, 'CORS_ALLOW_CREDENTIALS'),
    publicBaseUrl: readUrl(env, 'PUBLIC_BASE_URL'),
  };
}
