import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { PeopleQuery } from '../../schemas/people-query.js';
import { PersonParams, type PersonData } from '../../schemas/person.js';
import { errorRef, personDataRef, personRef } from '../../schemas/shared-schemas.js';
import { matchesIfNoneMatch } from '../conditional-request.js';

const notFound = { statusCode: 404, error: 'Not Found', message: 'No person with that uuid' };
// What each path answers (HEAD comes with every GET); OPTIONS says so in `Allow`.
const listMethods = 'GET, HEAD, POST, OPTIONS';
const personMethods = 'GET, HEAD, PUT, DELETE, OPTIONS';
const notModified = Type.Null({ description: 'Not modified: the ETag still matches' });

/** HTTP to people calls: the five endpoints of the original contract. */
export default async function peopleRoutes(app: FastifyInstance) {
  const people = app.people;

  app.get<{ Querystring: PeopleQuery }>(
    '/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Get all people (optionally a page of them)',
        querystring: PeopleQuery,
        response: { 200: Type.Array(personRef), 304: notModified, 400: errorRef },
      },
      // Query strings are text; only whole decimal numbers become numbers, so `?limit=abc`
      // still fails validation. Bodies are never coerced.
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        for (const key of ['limit', 'offset']) {
          const value = query[key];
          if (typeof value === 'string' && /^\d{1,15}$/.test(value)) query[key] = Number(value);
        }
      },
    },
    async (request, reply) => {
      const list = await people.list();
      const { limit, offset = 0 } = request.query;
      const whole = limit === undefined && offset === 0;
      // A page's tag names the page too, so no two representations ever share one.
      const etag = whole ? list.etag : `${list.etag.slice(0, -1)}-${offset}-${limit ?? 'all'}"`;
      reply.header('etag', etag);
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
        return reply.code(304).send();
      }
      if (whole) return reply.type('application/json; charset=utf-8').send(list.body);
      return list.people.slice(offset, limit === undefined ? undefined : offset + limit);
    },
  );

  app.post<{ Body: PersonData }>(
    '/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a person',
        body: personDataRef,
        response: { 201: personRef, 400: errorRef },
      },
    },
    async (request, reply) => {
      const person = await people.create(request.body);
      return reply
        .code(201)
        .header('location', `/people/${person.uuid}`)
        .header('etag', `"${person.version}"`)
        .send(person);
    },
  );

  app.get<{ Params: PersonParams }>(
    '/people/:uuid',
    {
      schema: {
        tags: ['people'],
        summary: 'Get a person by uuid',
        params: PersonParams,
        response: { 200: personRef, 304: notModified, 400: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const person = await people.find(request.params.uuid);
      if (person === undefined) return reply.code(404).send(notFound);
      const etag = `"${person.version}"`;
      reply.header('etag', etag);
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
        return reply.code(304).send();
      }
      return person;
    },
  );

  app.put<{ Params: PersonParams; Body: PersonData }>(
    '/people/:uuid',
    {
      schema: {
        tags: ['people'],
        summary: 'Replace a person (every field required)',
        params: PersonParams,
        body: personDataRef,
        response: { 200: personRef, 400: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const person = await people.replace(request.params.uuid, request.body);
      if (person === undefined) return reply.code(404).send(notFound);
      return reply.header('etag', `"${person.version}"`).send(person);
    },
  );

  app.delete<{ Params: PersonParams }>(
    '/people/:uuid',
    {
      schema: {
        tags: ['people'],
        summary: 'Delete a person',
        params: PersonParams,
        response: { 204: Type.Null({ description: 'Deleted' }), 400: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      if (!(await people.remove(request.params.uuid))) return reply.code(404).send(notFound);
      return reply.code(204).send();
    },
  );

  // OPTIONS names the methods of the path. A CORS preflight from an allowed origin is answered
  // by the cors plugin before it gets here; any other gets no CORS headers, so browsers refuse it.
  const allowing = (methods: string) => ({
    schema: { hide: true },
    handler: async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.code(204).header('allow', methods).send(),
  });
  app.options('/people', allowing(listMethods));
  app.options('/people/:uuid', allowing(personMethods));
}
