import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyPlugin from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for `options`: the same for every response when no value is a function. */
function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * helmet's security headers (HSTS, nosniff, CSP, frame and cross-origin policies) on every
 * response. They are worked out once: @fastify/helmet builds helmet's middleware, CSP parsing
 * included, on every request, which cost a tenth of a read by uuid's CPU.
 */
export default fastifyPlugin(
  async (app) => {
    const headers = helmetHeaders({});
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);
