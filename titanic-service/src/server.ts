import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './database/embedded-database.js';

// Reads config, listens, and shuts down gracefully; everything else lives in app.ts.
const config = readConfig();

let embedded: EmbeddedDatabase | undefined;
let databaseUrl = config.databaseUrl;
let poolSize = config.databasePoolSize;
if (databaseUrl === undefined) {
  embedded = await startEmbeddedDatabase();
  databaseUrl = embedded.connectionString;
  // PGlite serves one connection at a time; a bigger pool would only queue inside the socket.
  poolSize = 1;
}

const app = buildApp({
  databaseUrl,
  databasePoolSize: poolSize,
  seedCsvPath: config.seedCsvPath,
  maxEventLoopDelayMs: config.maxEventLoopDelayMs,
  cors: {
    allowedOrigins: config.corsAllowedOrigins,
    allowCredentials: config.corsAllowCredentials,
  },
  publicBaseUrl: config.publicBaseUrl,
  logger: { level: config.logLevel },
});
if (embedded !== undefined) {
  app.log.warn('DATABASE_URL is not set: using an embedded in-memory PGlite (local use only)');
}

let shuttingDown = false;
async function shutDown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  const timer = setTimeout(() => {
    app.log.error('graceful shutdown timed out');
    process.exit(1);
  }, config.shutdownTimeoutMs);
  timer.unref();
  try {
    await app.close();
    await embedded?.close();
    app.log.info('shut down cleanly');
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutDown('SIGTERM'));
process.on('SIGINT', () => void shutDown('SIGINT'));

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.error({ err: error }, 'could not start');
  await app.close().catch(() => undefined);
  await embedded?.close();
  process.exit(1);
}
