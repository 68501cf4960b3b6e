// The Titanic API that runs beside the local portal: titanic-service on its embedded PGlite, seeded
// with the 887 passengers, at `titanicApi.baseUrl` from app-config.yaml, callable from the portal's
// own origin (`app.baseUrl`). scripts/portal starts it from here, and scripts/api-definition.mjs
// names the same URL as the titanic-api server, so "Try it out" on the API page calls this service.
//
//   node scripts/titanic-api.mjs env   prints the service's environment as `export` lines
//   node scripts/titanic-api.mjs url   prints its base URL
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The 887-passenger data set is never committed: it lives in shared/data/ beside the clone (CI
 * lays ../shared next to it; a worktree may sit deeper), or wherever TITANIC_CSV says.
 */
export function findPassengerCsv(env = process.env) {
  if (env.TITANIC_CSV)
    return existsSync(env.TITANIC_CSV) ? env.TITANIC_CSV : undefined;
  for (
    let directory = path.dirname(root);
    ;
    directory = path.dirname(directory)
  ) {
    const candidate = path.join(directory, 'shared', 'data', 'titanic.csv');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(directory) === directory) return undefined;
  }
}

/** Where the local Titanic API listens and which page may call it, from app-config.yaml. */
export function localTitanicApi() {
  const config = parse(
    readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
  );
  const baseUrl = new URL(config.titanicApi.baseUrl);
  return {
    baseUrl: baseUrl.origin,
    host: baseUrl.hostname,
    port: baseUrl.port,
    portalOrigin: new URL(config.app.baseUrl).origin,
  };
}

/** The service's settings (see titanic-service/README.md) for the local portal. */
export function localTitanicApiEnvironment(env = process.env) {
  const api = localTitanicApi();
  const seedCsv = findPassengerCsv(env);
  return {
    PORT: api.port,
    HOST: api.host,
    PUBLIC_BASE_URL: api.baseUrl,
    CORS_ALLOWED_ORIGINS: api.portalOrigin,
    LOG_LEVEL: 'warn',
    ...(seedCsv ? { TITANIC_SEED_CSV: seedCsv } : {}),
  };
}

const quote = value => `'${String(value).replaceAll("'", `'\\''`)}'`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'env') {
    for (const [name, value] of Object.entries(localTitanicApiEnvironment())) {
      console.log(`export ${name}=${quote(value)}`);
    }
  } else if (command === 'url') {
    console.log(localTitanicApi().baseUrl);
  } else {
    console.error('usage: node scripts/titanic-api.mjs env|url');
    process.exit(2);
  }
}
