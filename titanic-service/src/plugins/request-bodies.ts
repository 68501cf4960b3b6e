import { errorCodes } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

/**
 * The API reads JSON bodies only, and a request without a body is bodiless whatever its
 * Content-Type says: many clients (HTTP library sessions, Postman collections, generated SDKs)
 * send `Content-Type: application/json` on every request, DELETE and GET included.
 */
export default fastifyPlugin(
  async (app) => {
    // fastify's own JSON parser (prototype poisoning refused), minus its error on an empty body.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (body.length === 0) return done(null, undefined);
      parseJson(request, body as string, done);
    });

    // Any other media type: nothing to read is no body; anything else is 415, never a string
    // that fails validation later.
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      if (body.length === 0) return done(null, undefined);
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
    });
  },
  { name: 'request-bodies' },
);
