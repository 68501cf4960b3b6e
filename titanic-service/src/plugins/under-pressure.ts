import fastifyPlugin from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';

/**
 * Sheds load with 503 + Retry-After when the event loop is saturated, so a replica in trouble
 * answers fast instead of queueing requests until they time out.
 */
export interface UnderPressureOptions {
  /** Shed load when the event loop lags more than this; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
}

export default fastifyPlugin<UnderPressureOptions>(
  async (app, options) => {
    await app.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      retryAfter: 1,
      message: 'Service under pressure, retry shortly',
      exposeStatusRoute: false,
    });
  },
  { name: 'under-pressure' },
);
