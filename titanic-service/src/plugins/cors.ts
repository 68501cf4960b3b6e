import fastifyPlugin from 'fastify-plugin';

export interface CorsOptions {
  /** Origins whose browser pages may call the API (`https://portal.example.com`), or `*`. */
  allowedOrigins: readonly string[];
  /** Let pages send cookies or HTTP authentication; never allowed together with `*`. */
  allowCredentials: boolean;
}

const allowedMethods = 'GET, HEAD, POST, PUT, DELETE';
// What a page's script may read besides the CORS-safelisted response headers.
const exposedHeaders = 'ETag, Location, Retry-After, X-Request-Id';
const preflightMaxAgeSeconds = '600';
const preflightVary = 'Access-Control-Request-Headers';

/**
 * CORS for browser pages on the configured origins (the portal's API page calls the service from
 * its "Try it out"). With no origin configured nothing is added, so browsers keep the same-origin
 * policy. A preflight to an existing route is answered here, before validation or the handler.
 */
export default fastifyPlugin<CorsOptions>(
  async (app, options) => {
    if (options.allowedOrigins.length === 0) return;
    const anyOrigin = options.allowedOrigins.includes('*');
    if (anyOrigin && options.allowCredentials) {
      throw new Error('CORS: credentials cannot be allowed for any origin ("*")');
    }
    const allowed = new Set(options.allowedOrigins);

    app.addHook('onRequest', (request, reply, done) => {
      // The answer depends on Origin unless every origin gets the same one: tell caches so.
      if (!anyOrigin) reply.header('vary', 'Origin');
      const origin = request.headers.origin;
      if (origin === undefined || !(anyOrigin || allowed.has(origin))) return done();

      reply.header('access-control-allow-origin', anyOrigin ? '*' : origin);
      if (options.allowCredentials) reply.header('access-control-allow-credentials', 'true');
      const preflightMethod = request.headers['access-control-request-method'];
      if (request.method !== 'OPTIONS' || preflightMethod === undefined || request.is404) {
        reply.header('access-control-expose-headers', exposedHeaders);
        return done();
      }
      reply.header('access-control-allow-methods', allowedMethods);
      const requestedHeaders = request.headers['access-control-request-headers'];
      if (requestedHeaders !== undefined) {
        // The API reads no credentials from headers, so any header a client adds is harmless.
        reply.header('access-control-allow-headers', requestedHeaders);
        reply.header('vary', anyOrigin ? preflightVary : `Origin, ${preflightVary}`);
      }
      reply.header('access-control-max-age', preflightMaxAgeSeconds);
      reply.code(204).send();
    });
  },
  { name: 'cors' },
);
