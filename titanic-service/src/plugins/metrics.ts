import fastifyPlugin from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

/**
 * Prometheus metrics under the names the monitoring stack relies on (see the README).
 * Each app has its own registry, so several apps can live in one process (tests, replicas).
 */
export default fastifyPlugin(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });

    const labelNames = ['method', 'route', 'status_code'] as const;
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code',
      labelNames,
      registers: [registry],
    });

    const pool = app.pool;
    new Gauge({
      name: 'titanic_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting clients)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new Gauge({
      name: 'titanic_db_pool_max_connections',
      help: 'Maximum size of the database pool',
      registers: [registry],
      collect() {
        this.set(pool.options.max ?? 10);
      },
    });
    const people = app.people;
    new Gauge({
      name: 'titanic_people',
      help: 'Rows in the people table (last value read when the database is unreachable)',
      registers: [registry],
      async collect() {
        try {
          this.set(await people.count());
        } catch (error) {
          app.log.warn({ err: error }, 'could not count people for metrics');
        }
      },
    });

    app.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: reply.statusCode,
      };
      duration.observe(labels, reply.elapsedTime / 1000);
      requests.inc(labels);
      done();
    });

    app.decorate('metrics', registry);
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['database', 'people'] },
);
