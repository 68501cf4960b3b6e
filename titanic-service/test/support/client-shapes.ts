import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { validPerson } from './test-app.js';

/**
 * The shapes everyday clients give their requests, beyond what a swagger-generated client sends:
 * HTTP library sessions, Postman collections and generated SDKs put `Content-Type:
 * application/json` on every request, browsers send HEAD and OPTIONS, base URLs end in "/".
 * Each shape is one test; what strict validation refuses stays refused.
 */
export function describeClientShapes(getApp: () => FastifyInstance) {
  const request = (options: InjectOptions) => getApp().inject(options);
  const create = async (name = 'Shape Tester') => {
    const created = await request({
      method: 'POST',
      url: '/people',
      payload: { ...validPerson, name },
    });
    expect(created.statusCode).toBe(201);
    return created.json() as { uuid: string } & typeof validPerson;
  };
  const exists = async (uuid: string) =>
    (await request({ method: 'GET', url: `/people/${uuid}` })).statusCode === 200;

  describe('a bodiless request is bodiless whatever its Content-Type says', () => {
    it.each([
      ['application/json', {}],
      ['application/json', { 'content-length': '0' }],
      ['application/json', { 'transfer-encoding': 'chunked' }],
      ['application/json; charset=utf-8', {}],
      ['text/plain', {}],
      ['application/x-www-form-urlencoded', {}],
    ])('DELETE with Content-Type %s and %o deletes with 204', async (contentType, headers) => {
      const person = await create();
      const deleted = await request({
        method: 'DELETE',
        url: `/people/${person.uuid}`,
        headers: { 'content-type': contentType, ...headers },
      });
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      expect(await exists(person.uuid)).toBe(false);
    });

    it('DELETE of an unknown uuid with Content-Type: application/json is still 404', async () => {
      const response = await request({
        method: 'DELETE',
        url: '/people/00000000-0000-4000-8000-000000000000',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('GET of a person with Content-Type: application/json and Content-Length: 0 is 200', async () => {
      const person = await create();
      const read = await request({
        method: 'GET',
        url: `/people/${person.uuid}`,
        headers: { 'content-type': 'application/json', 'content-length': '0' },
      });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(person);
    });

    it('GET of the list with Content-Type: application/json is 200', async () => {
      const person = await create();
      const list = await request({
        method: 'GET',
        url: '/people',
        headers: { 'content-type': 'application/json' },
      });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toContainEqual(person);
    });

    it('DELETE with a JSON body ignores the body, as the original API did', async () => {
      const person = await create();
      const deleted = await request({
        method: 'DELETE',
        url: `/people/${person.uuid}`,
        payload: { reason: 'duplicate' },
      });
      expect(deleted.statusCode).toBe(204);
      expect(await exists(person.uuid)).toBe(false);
    });

    it.each([
      ['POST', 'application/json'],
      ['POST', undefined],
      ['PUT', 'application/json'],
      ['PUT', undefined],
    ])(
      'a bodiless %s (Content-Type %s) is still 400 "Request body is required"',
      async (method, contentType) => {
        const person = await create();
        const response = await request({
          method: method as 'POST' | 'PUT',
          url: method === 'POST' ? '/people' : `/people/${person.uuid}`,
          headers: contentType === undefined ? {} : { 'content-type': contentType },
        });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Request body is required',
          errors: [{ field: 'body', problem: 'is required' }],
        });
      },
    );

    it('a JSON body without a Content-Type is still 415', async () => {
      const response = await request({
        method: 'POST',
        url: '/people',
        headers: {},
        payload: JSON.stringify(validPerson),
      });
      expect(response.statusCode).toBe(415);
    });
  });

  describe('charset variants of the JSON content type', () => {
    it.each([
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      'application/json; charset="utf-8"',
      'Application/JSON',
    ])('POST and PUT with Content-Type %s succeed', async (contentType) => {
      const created = await request({
        method: 'POST',
        url: '/people',
        headers: { 'content-type': contentType },
        payload: JSON.stringify(validPerson),
      });
      expect(created.statusCode).toBe(201);
      const { uuid } = created.json();
      const replaced = await request({
        method: 'PUT',
        url: `/people/${uuid}`,
        headers: { 'content-type': contentType },
        payload: JSON.stringify({ ...validPerson, name: 'Replaced' }),
      });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.json()).toEqual({ uuid, ...validPerson, name: 'Replaced' });
    });
  });

  describe('HEAD', () => {
    it('of the list answers GET’s status and headers without a body', async () => {
      await create();
      const get = await request({ method: 'GET', url: '/people' });
      const head = await request({ method: 'HEAD', url: '/people' });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.headers.etag).toBe(get.headers.etag);
    });

    it('of a person answers 200 with its ETag, and 304 when it still matches', async () => {
      const person = await create();
      const get = await request({ method: 'GET', url: `/people/${person.uuid}` });
      const head = await request({ method: 'HEAD', url: `/people/${person.uuid}` });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers.etag).toBe(get.headers.etag);
      const unchanged = await request({
        method: 'HEAD',
        url: `/people/${person.uuid}`,
        headers: { 'if-none-match': get.headers.etag as string },
      });
      expect(unchanged.statusCode).toBe(304);
    });

    it('of an unknown person answers 404 without a body', async () => {
      const head = await request({
        method: 'HEAD',
        url: '/people/00000000-0000-4000-8000-000000000000',
      });
      expect(head.statusCode).toBe(404);
      expect(head.body).toBe('');
    });
  });

  describe('OPTIONS without a CORS preflight', () => {
    it.each([
      ['/people', 'GET, HEAD, POST, OPTIONS'],
      ['/people/00000000-0000-4000-8000-000000000000', 'GET, HEAD, PUT, DELETE, OPTIONS'],
    ])('OPTIONS %s answers 204 with Allow: %s', async (url, allow) => {
      const response = await request({ method: 'OPTIONS', url });
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers.allow).toBe(allow);
    });

    it('Allow names exactly the methods the path is routed for', async () => {
      const person = await create();
      for (const url of ['/people', `/people/${person.uuid}`]) {
        const allowed = ((await request({ method: 'OPTIONS', url })).headers.allow as string).split(
          ', ',
        );
        // The person exists until DELETE, tried last: any 404 before it means "no such route".
        for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
          const response = await request({
            method,
            url,
            ...(method === 'POST' || method === 'PUT' ? { payload: validPerson } : {}),
          });
          const routed = response.statusCode !== 404;
          expect(routed, `${method} ${url}`).toBe(allowed.includes(method));
        }
      }
    });
  });

  describe('trailing and doubled slashes', () => {
    it('GET /people/ lists everyone', async () => {
      const person = await create();
      const list = await request({ method: 'GET', url: '/people/' });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toContainEqual(person);
    });

    it('POST /people/ creates', async () => {
      const created = await request({ method: 'POST', url: '/people/', payload: validPerson });
      expect(created.statusCode).toBe(201);
    });

    it('GET, PUT and DELETE /people/{uuid}/ act on the person', async () => {
      const person = await create();
      const read = await request({ method: 'GET', url: `/people/${person.uuid}/` });
      expect(read.json()).toEqual(person);
      const replaced = await request({
        method: 'PUT',
        url: `/people/${person.uuid}/`,
        payload: { ...validPerson, name: 'Slashed' },
      });
      expect(replaced.json().name).toBe('Slashed');
      const deleted = await request({ method: 'DELETE', url: `/people/${person.uuid}/` });
      expect(deleted.statusCode).toBe(204);
    });

    it('GET //people (a base URL ending in "/" joined with "/people") lists everyone', async () => {
      const person = await create();
      const list = await request({ method: 'GET', url: '//people' });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toContainEqual(person);
    });
  });
}
