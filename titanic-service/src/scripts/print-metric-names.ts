import { buildApp } from '../app.js';
import { startEmbeddedDatabase } from '../database/embedded-database.js';

/**
 * Prints every metric family the service exports, one per line, from a live scrape on an
 * embedded database: infra's dashboards and alerts are checked against this list.
 */
const database = await startEmbeddedDatabase();
const app = buildApp({
  databaseUrl: database.connectionString,
  databasePoolSize: 1,
  // A one-off run: starting PGlite stalls the event loop, which must not shed the one request.
  maxEventLoopDelayMs: 0,
  logger: false,
});
try {
  await app.ready();
  // One request, so the per-request families have samples too.
  await app.inject({ method: 'GET', url: '/health' });
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`);
  const names = response.body
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ')[2]);
  process.stdout.write(`${[...new Set(names)].sort().join('\n')}\n`);
} finally {
  await app.close();
  await database.close();
}
