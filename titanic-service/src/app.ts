import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cors, { type CorsOptions } from './plugins/cors.js';
import database from './plugins/database.js';
import errorHandler from './plugins/error-handler.js';
import metrics from './plugins/metrics.js';
import openapi from './plugins/openapi.js';
import people from './plugins/people.js';
import requestBodies from './plugins/request-bodies.js';
import securityHeaders from './plugins/security-headers.js';
import underPressure from './plugins/under-pressure.js';
import healthRoutes from './routes/health.js';
import peopleRoutes from './routes/people/index.js';

export interface AppOptions {
  databaseUrl: string;
  databasePoolSize: number;
  seedCsvPath?: string | undefined;
  /** Load shedding threshold (default 1000 ms); 0 turns it off. */
  maxEventLoopDelayMs?: number;
  /** Browser origins allowed to call the API; none by default (no CORS headers at all). */
  cors?: CorsOptions;
  /** Where clients reach the service; the OpenAPI document lists it as the server. */
  publicBaseUrl?: string | undefined;
  /** A pino logger configuration, or false for silence (tests). */
  logger?: FastifyServerOptions['logger'];
}

/** Largest accepted request body: a person is well under 1 KiB. */
export const bodyLimitBytes = 16 * 1024;

/** Builds the service; the caller awaits `ready()` (migrations run then) or `listen()`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? { level: 'info' },
    bodyLimit: bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
    // Strict validation: "3" is not 3, and unknown fields are errors rather than silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    // In-flight requests finish on close; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // `/people/` and `//people` (a base URL ending in "/" joined with "/people") are `/people`.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });

  // Hot-path hooks take callbacks rather than being async: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // Once closing, answer in-flight requests with `Connection: close`: a keep-alive socket left
  // idle afterwards would otherwise hold the shutdown open until its timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.register(securityHeaders);
  app.register(cors, options.cors ?? { allowedOrigins: [], allowCredentials: false });
  app.register(errorHandler);
  app.register(requestBodies);
  app.register(underPressure, { maxEventLoopDelayMs: options.maxEventLoopDelayMs ?? 1_000 });
  app.register(database, {
    connectionString: options.databaseUrl,
    poolSize: options.databasePoolSize,
  });
  app.register(people, { seedCsvPath: options.seedCsvPath });
  app.register(metrics);
  app.register(openapi, { publicBaseUrl: options.publicBaseUrl });
  app.register(healthRoutes);
  app.register(peopleRoutes);
  return app;
}
