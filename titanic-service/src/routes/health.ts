import type { FastifyInstance } from 'fastify';
import { isMigrated } from '../database/migrations.js';

/** Probes: liveness never touches the database; readiness needs it reachable and migrated. */
export default async function healthRoutes(app: FastifyInstance) {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    try {
      if (await isMigrated(app.pool, app.latestMigration)) return { status: 'ready' };
      return reply.code(503).send({ status: 'unavailable', reason: 'database is not migrated' });
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', reason: 'database is unreachable' });
    }
  });
}
