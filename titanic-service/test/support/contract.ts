import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { bodyLimitBytes } from '../../src/app.js';
import { describeClientShapes } from './client-shapes.js';
import { validPerson } from './test-app.js';

const json = { 'content-type': 'application/json' };

/**
 * The original API's contract, as a client written against its swagger sees it, plus every class
 * of bad input. Runs against real PostgreSQL and against the embedded PGlite.
 */
export function describeContract(title: string, getApp: () => FastifyInstance) {
  describe(title, () => {
    const post = (payload: unknown) =>
      getApp().inject({ method: 'POST', url: '/people', payload: payload as object });
    const count = async () => {
      const response = await getApp().inject({ method: 'GET', url: '/people' });
      return (response.json() as unknown[]).length;
    };

    it('creates a person with 201, a uuid and a Location, and reads it back', async () => {
      const created = await post(validPerson);
      expect(created.statusCode).toBe(201);
      const person = created.json();
      expect(person).toEqual({ uuid: expect.any(String), ...validPerson });
      expect(person.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.headers.location).toBe(`/people/${person.uuid}`);
      expect(created.headers['content-type']).toMatch(/^application\/json/);

      const read = await getApp().inject({ method: 'GET', url: `/people/${person.uuid}` });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(person);
      expect(Object.keys(read.json())).toEqual([
        'uuid',
        'survived',
        'passengerClass',
        'name',
        'sex',
        'age',
        'siblingsOrSpousesAboard',
        'parentsOrChildrenAboard',
        'fare',
      ]);
    });

    it('lists everyone as a JSON array of people, including new ones', async () => {
      const person = (await post({ ...validPerson, name: 'Listed Person' })).json();
      const list = await getApp().inject({ method: 'GET', url: '/people' });
      expect(list.statusCode).toBe(200);
      expect(list.headers['content-type']).toMatch(/^application\/json/);
      expect(list.json()).toContainEqual(person);
    });

    it('pages with limit and offset in insertion order', async () => {
      const all = (await getApp().inject({ method: 'GET', url: '/people' })).json() as unknown[];
      expect(all.length).toBeGreaterThanOrEqual(2);
      const page = await getApp().inject({ method: 'GET', url: '/people?limit=1&offset=1' });
      expect(page.statusCode).toBe(200);
      expect(page.json()).toEqual([all[1]]);
      const rest = await getApp().inject({ method: 'GET', url: '/people?offset=1' });
      expect(rest.json()).toEqual(all.slice(1));
      const none = await getApp().inject({ method: 'GET', url: '/people?limit=0' });
      expect(none.json()).toEqual([]);
      const ignored = await getApp().inject({ method: 'GET', url: '/people?_=12345' });
      expect(ignored.json()).toEqual(all);
    });

    it('replaces a person with PUT and answers the updated person', async () => {
      const person = (await post(validPerson)).json();
      const replacement = { ...validPerson, name: 'Renamed', age: 31, survived: false, fare: 0 };
      const updated = await getApp().inject({
        method: 'PUT',
        url: `/people/${person.uuid}`,
        payload: replacement,
      });
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toEqual({ uuid: person.uuid, ...replacement });
      const read = await getApp().inject({ method: 'GET', url: `/people/${person.uuid}` });
      expect(read.json()).toEqual({ uuid: person.uuid, ...replacement });
    });

    it('deletes with 204 and no body, after which the person is gone', async () => {
      const person = (await post(validPerson)).json();
      const deleted = await getApp().inject({ method: 'DELETE', url: `/people/${person.uuid}` });
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      const read = await getApp().inject({ method: 'GET', url: `/people/${person.uuid}` });
      expect(read.statusCode).toBe(404);
      const list = (await getApp().inject({ method: 'GET', url: '/people' })).json();
      expect(list).not.toContainEqual(person);
    });

    it.each(['GET', 'PUT', 'DELETE'] as const)(
      'answers 404 with a JSON body to %s of an unknown uuid',
      async (method) => {
        const response = await getApp().inject({
          method,
          url: '/people/00000000-0000-4000-8000-000000000000',
          ...(method === 'PUT' ? { payload: validPerson } : {}),
        });
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
      },
    );

    it.each(['GET', 'PUT', 'DELETE'] as const)(
      'answers 400 naming uuid to %s of a malformed uuid, never 500',
      async (method) => {
        const response = await getApp().inject({
          method,
          url: '/people/not-a-uuid',
          ...(method === 'PUT' ? { payload: validPerson } : {}),
        });
        expect(response.statusCode).toBe(400);
        expect(response.json().errors).toContainEqual({
          field: 'uuid',
          problem: 'must match format "uuid"',
        });
      },
    );

    it('supports ETag and If-None-Match on a person and on the list', async () => {
      const person = (await post(validPerson)).json();
      const read = await getApp().inject({ method: 'GET', url: `/people/${person.uuid}` });
      const etag = read.headers.etag as string;
      expect(etag).toMatch(/^"/);
      const again = await getApp().inject({
        method: 'GET',
        url: `/people/${person.uuid}`,
        headers: { 'if-none-match': etag },
      });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');

      const list = await getApp().inject({ method: 'GET', url: '/people' });
      const listTag = list.headers.etag as string;
      const listAgain = await getApp().inject({
        method: 'GET',
        url: '/people',
        headers: { 'if-none-match': `"other", ${listTag}` },
      });
      expect(listAgain.statusCode).toBe(304);

      await getApp().inject({
        method: 'PUT',
        url: `/people/${person.uuid}`,
        payload: { ...validPerson, name: 'Changed' },
      });
      const changed = await getApp().inject({
        method: 'GET',
        url: `/people/${person.uuid}`,
        headers: { 'if-none-match': etag },
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      const listChanged = await getApp().inject({
        method: 'GET',
        url: '/people',
        headers: { 'if-none-match': listTag },
      });
      expect(listChanged.statusCode).toBe(200);

      // A page of the same list has a tag of its own.
      const page = await getApp().inject({ method: 'GET', url: '/people?limit=1' });
      expect(page.headers.etag).not.toBe(listChanged.headers.etag);
      const pageAgain = await getApp().inject({
        method: 'GET',
        url: '/people?limit=1',
        headers: { 'if-none-match': page.headers.etag as string },
      });
      expect(pageAgain.statusCode).toBe(304);
    });

    const badBodies: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['a string for a boolean', { survived: 'true' }, 'survived', /boolean/],
      ['a number for a boolean', { survived: 1 }, 'survived', /boolean/],
      ['a numeric string for an integer', { passengerClass: '3' }, 'passengerClass', /integer/],
      ['a fraction for an integer', { passengerClass: 1.5 }, 'passengerClass', /integer/],
      ['a class below 1', { passengerClass: 0 }, 'passengerClass', />= 1/],
      ['a class above 3', { passengerClass: 4 }, 'passengerClass', /<= 3/],
      ['a number for a name', { name: 42 }, 'name', /string/],
      ['an empty name', { name: '' }, 'name', /fewer than 1/],
      ['a name over 255 characters', { name: 'x'.repeat(256) }, 'name', /more than 255/],
      ['an unknown sex', { sex: 'robot' }, 'sex', /male, female, other/],
      ['a numeric string for age', { age: '22' }, 'age', /number/],
      ['a negative age', { age: -1 }, 'age', />= 0/],
      ['null for age', { age: null }, 'age', /number/],
      ['negative siblings', { siblingsOrSpousesAboard: -1 }, 'siblingsOrSpousesAboard', />= 0/],
      [
        'a count beyond 32 bits',
        { parentsOrChildrenAboard: 2 ** 31 },
        'parentsOrChildrenAboard',
        /<=/,
      ],
      ['a negative fare', { fare: -0.01 }, 'fare', />= 0/],
      ['a string fare', { fare: '7.25' }, 'fare', /number/],
      ['an unknown field', { cabin: 'C85' }, 'cabin', /not an allowed field/],
      [
        'a client-chosen uuid',
        { uuid: '00000000-0000-4000-8000-000000000000' },
        'uuid',
        /not an allowed/,
      ],
    ];

    describe.each(['POST', 'PUT'] as const)('%s rejects bad input with 400', (method) => {
      const send = async (payload: unknown, headers: Record<string, string> = json) => {
        const target =
          method === 'POST'
            ? '/people'
            : `/people/${(await post({ ...validPerson, name: 'Target' })).json().uuid}`;
        return {
          target,
          response: await getApp().inject({
            method,
            url: target,
            headers,
            payload: payload as string,
          }),
        };
      };

      it.each(badBodies)('%s', async (_case, change, field, problem) => {
        const before = await count();
        const { target, response } = await send({ ...validPerson, ...change });
        expect(response.statusCode).toBe(400);
        const body = response.json();
        expect(body.statusCode).toBe(400);
        const named = body.errors.find((error: { field: string }) => error.field === field);
        expect(named?.problem).toMatch(problem);
        expect(body.message).toContain(field);
        // A rejected write changes nothing.
        expect(await count()).toBe(before + (method === 'PUT' ? 1 : 0));
        if (method === 'PUT') {
          const unchanged = await getApp().inject({ method: 'GET', url: target });
          expect(unchanged.json()).toMatchObject({ ...validPerson, name: 'Target' });
        }
      });

      it.each(Object.keys(validPerson))('a missing %s', async (field) => {
        const payload: Record<string, unknown> = { ...validPerson };
        delete payload[field];
        const { response } = await send(payload);
        expect(response.statusCode).toBe(400);
        expect(response.json().errors).toContainEqual({ field, problem: 'is required' });
      });

      it.each([
        ['malformed JSON', '{"survived": tru'],
        ['an empty body', ''],
        ['a JSON array', '[]'],
        ['JSON null', 'null'],
        ['a JSON string', '"person"'],
      ])('%s', async (_case, raw) => {
        const { response } = await send(raw);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ statusCode: 400, errors: [{ field: 'body' }] });
      });

      it('a prototype-poisoning body', async () => {
        const { response } = await send(
          JSON.stringify({ ...validPerson }).replace('{', '{"__proto__":{"admin":true},'),
        );
        expect(response.statusCode).toBe(400);
      });

      it('an oversize body with 413', async () => {
        const { response } = await send(
          JSON.stringify({ ...validPerson, name: 'x'.repeat(bodyLimitBytes) }),
        );
        expect(response.statusCode).toBe(413);
        expect(response.json()).toMatchObject({ statusCode: 413, errors: [{ field: 'body' }] });
      });

      it('a body that is not JSON with 415', async () => {
        const { response } = await send('survived=true', { 'content-type': 'text/plain' });
        expect(response.statusCode).toBe(415);
        expect(response.json().statusCode).toBe(415);
      });
    });

    it.each([
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1.5', 'limit'],
      ['offset=x', 'offset'],
      ['limit=1&limit=2', 'limit'],
    ])('rejects the query %s with 400 naming the parameter', async (query, field) => {
      const response = await getApp().inject({ method: 'GET', url: `/people?${query}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].field).toBe(field);
    });

    it('answers an unknown route with a JSON 404', async () => {
      const response = await getApp().inject({ method: 'GET', url: '/persons' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    describeClientShapes(getApp);
  });
}
