import { buildApp } from '../app.js';
import { readConfig } from '../config.js';
import { startEmbeddedDatabase } from '../database/embedded-database.js';

/**
 * Prints the OpenAPI document the service serves at /openapi.json, from a live app on an embedded
 * database: the portal's catalog registers exactly this document as the titanic-api definition.
 * PUBLIC_BASE_URL is read as the server does, so the document names the same server.
 */
const database = await startEmbeddedDatabase();
const app = buildApp({
  databaseUrl: database.connectionString,
  databasePoolSize: 1,
  // A one-off run: starting PGlite stalls the event loop, which must not shed the one request.
  maxEventLoopDelayMs: 0,
  publicBaseUrl: readConfig().publicBaseUrl,
  logger: false,
});
try {
  await app.ready();
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`/openapi.json answered ${response.statusCode}`);
  process.stdout.write(`${JSON.stringify(response.json(), null, 2)}\n`);
} finally {
  await app.close();
  await database.close();
}
