import fastifyPlugin from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';

/**
 * Sheds load with 503 + Retry-After when the event loop is saturated, so a replica in trouble
 * answers fast instead of queueing requests until they time out.
 */
export default fastifyPlugin(
  async (app) => {
    await app.register(underPressure, {
      maxEventLoopDelay: 1_000,
      retryAfter: 1,
      message: 'Service under pressure, retry shortly',
      exposeStatusRoute: false,
    });
  },
  { name: 'under-pressure' },
);
