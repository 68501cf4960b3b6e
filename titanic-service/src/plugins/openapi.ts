import fastifyPlugin from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sharedSchemas } from '../schemas/shared-schemas.js';

export interface OpenApiOptions {
  /** Listed as the document's server, so generated clients and "Try it out" call it. */
  publicBaseUrl?: string | undefined;
}

/** The OpenAPI 3 document generated from the route schemas, at /openapi.json, and a docs page. */
export default fastifyPlugin<OpenApiOptions>(
  async (app, options) => {
    for (const schema of sharedSchemas) app.addSchema(schema);

    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Titanic API',
          version: '1.0.0',
          description:
            'The passengers of the Titanic. Same contract as the original Swagger 2.0 API, with ' +
            'one deviation: `age` is a number, not an integer, because infants have fractional ' +
            'ages (e.g. 0.42). Additions that keep the original defaults: `limit`/`offset` on ' +
            'GET /people, ETag/If-None-Match on reads, /health, /ready and /metrics.',
        },
        tags: [{ name: 'people', description: 'Titanic passengers' }],
        ...(options.publicBaseUrl === undefined
          ? {}
          : { servers: [{ url: options.publicBaseUrl }] }),
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, index) =>
          typeof json.$id === 'string' ? json.$id : `def-${index}`,
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
