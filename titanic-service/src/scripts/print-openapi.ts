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
  publicBaseUrl: readConfig().publicBaseUrl,
  logger: false,
});
try {
  await app.ready();
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  process.stdout.write(`${JSON.stringify(response.json(), null, 2)}\n`);
} finally {
  await app.close();
  await database.close();
}
