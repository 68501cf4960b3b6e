import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../support/postgres-server.js';
import { startApp } from '../support/test-app.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await startApp(await createTestDatabase(inject('postgresUrl')));
});
afterAll(async () => {
  await app?.close();
});

describe('the OpenAPI document', () => {
  it('describes the original five operations with their status codes', async () => {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual(['/people', '/people/{uuid}']);
    const people = document.paths['/people'];
    const person = document.paths['/people/{uuid}'];
    expect(Object.keys(people.get.responses)).toContain('200');
    expect(Object.keys(people.post.responses)).toEqual(expect.arrayContaining(['201', '400']));
    expect(Object.keys(person.get.responses)).toEqual(expect.arrayContaining(['200', '404']));
    expect(Object.keys(person.put.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
    expect(Object.keys(person.delete.responses)).toEqual(expect.arrayContaining(['204', '404']));
    expect(people.post.requestBody.required).toBe(true);
    expect(
      people.get.parameters.map((parameter: { name: string }) => parameter.name).sort(),
    ).toEqual(['limit', 'offset']);
  });

  it('documents the schemas from the validation definitions, and the age deviation', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const personData = document.components.schemas.PersonData;
    expect(personData.additionalProperties).toBe(false);
    expect(personData.required).toHaveLength(8);
    expect(personData.properties.passengerClass).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 3,
    });
    expect(personData.properties.sex.enum).toEqual(['male', 'female', 'other']);
    expect(personData.properties.age.type).toBe('number');
    expect(personData.properties.age.description).toMatch(/deviation/i);
    expect(document.info.description).toMatch(/age.*number/);
    expect(document.components.schemas.Person.properties.uuid).toMatchObject({ format: 'uuid' });
  });

  it('gives every PersonData field an example, together a person the API accepts', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const properties = document.components.schemas.PersonData.properties as Record<
      string,
      { example?: unknown }
    >;
    const example = Object.fromEntries(
      Object.entries(properties).map(([field, schema]) => [field, schema.example]),
    );
    expect(Object.values(example)).not.toContain(undefined);
    const created = await app.inject({ method: 'POST', url: '/people', payload: example });
    expect(created.statusCode).toBe(201);
  });

  it('names no server unless told where clients reach the service', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.servers).toBeUndefined();
    const located = await startApp(await createTestDatabase(inject('postgresUrl')), {
      poolSize: 1,
      publicBaseUrl: 'http://localhost:7090',
    });
    try {
      const named = (await located.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(named.servers).toEqual([{ url: 'http://localhost:7090' }]);
    } finally {
      await located.close();
    }
  });

  it('serves a docs page', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs' });
    const page =
      response.statusCode === 302
        ? await app.inject({ method: 'GET', url: response.headers.location as string })
        : response;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
  });

  it('sends security headers and echoes a request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    // The same headers on an error, which no route handler shaped.
    const missing = await app.inject({ method: 'GET', url: '/persons' });
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    const generated = await app.inject({ method: 'GET', url: '/health' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
