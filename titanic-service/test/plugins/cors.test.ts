import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../support/postgres-server.js';
import { startApp, validPerson } from '../support/test-app.js';

const portal = 'http://localhost:7007';
const stranger = 'https://evil.example.com';

let databaseUrl: string;
let withoutCors: FastifyInstance;
let forPortal: FastifyInstance;
let forAnyone: FastifyInstance;
let withCredentials: FastifyInstance;

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
  [withoutCors, forPortal, forAnyone, withCredentials] = await Promise.all([
    startApp(databaseUrl, { poolSize: 2 }),
    startApp(databaseUrl, {
      poolSize: 2,
      cors: { allowedOrigins: [portal], allowCredentials: false },
    }),
    startApp(databaseUrl, {
      poolSize: 2,
      cors: { allowedOrigins: ['*'], allowCredentials: false },
    }),
    startApp(databaseUrl, {
      poolSize: 2,
      cors: { allowedOrigins: [portal], allowCredentials: true },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all(
    [withoutCors, forPortal, forAnyone, withCredentials].map((app) => app?.close()),
  );
});

const preflight = (app: FastifyInstance, origin: string, url = '/people') =>
  app.inject({
    method: 'OPTIONS',
    url,
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-client-version',
    },
  });

describe('CORS', () => {
  describe('with no origin configured (the production default)', () => {
    it('adds no CORS header to a request from any page', async () => {
      const response = await withoutCors.inject({
        method: 'GET',
        url: '/people',
        headers: { origin: portal },
      });
      expect(response.statusCode).toBe(200);
      expect(
        Object.keys(response.headers).filter((name) => name.startsWith('access-control-')),
      ).toEqual([]);
    });

    it('answers a preflight as a plain OPTIONS, which browsers refuse', async () => {
      const response = await preflight(withoutCors, portal);
      expect(response.statusCode).toBe(204);
      expect(response.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('with the portal’s origin allowed', () => {
    it('lets the portal read a response, its ETag and request id included', async () => {
      const response = await forPortal.inject({
        method: 'GET',
        url: '/people',
        headers: { origin: portal },
      });
      expect(response.headers['access-control-allow-origin']).toBe(portal);
      expect(response.headers.vary).toMatch(/\bOrigin\b/);
      expect(response.headers['access-control-expose-headers']).toBe(
        'ETag, Location, Retry-After, X-Request-Id',
      );
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('answers the portal’s preflight with 204 and the methods and headers it may use', async () => {
      const response = await preflight(forPortal, portal);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': portal,
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE',
        'access-control-allow-headers': 'content-type,x-client-version',
        'access-control-max-age': '600',
        vary: 'Origin, Access-Control-Request-Headers',
      });
    });

    it('answers a preflight for a person’s path before validating its uuid', async () => {
      const response = await preflight(forPortal, portal, '/people/not-a-uuid');
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(portal);
    });

    it('lets the portal read errors too, so "Try it out" shows a 400 and the field', async () => {
      const response = await forPortal.inject({
        method: 'POST',
        url: '/people',
        headers: { origin: portal },
        payload: { ...validPerson, passengerClass: 7 },
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['access-control-allow-origin']).toBe(portal);
      expect(response.json().errors).toContainEqual({
        field: 'passengerClass',
        problem: 'must be <= 3',
      });
    });

    it('gives another origin nothing to read, and its preflight no permission', async () => {
      const response = await forPortal.inject({
        method: 'GET',
        url: '/people',
        headers: { origin: stranger },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers.vary).toMatch(/\bOrigin\b/);
      const refused = await preflight(forPortal, stranger);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['access-control-allow-methods']).toBeUndefined();
    });

    it('does not answer a preflight for a path that does not exist', async () => {
      const response = await preflight(forPortal, portal, '/persons');
      expect(response.statusCode).toBe(404);
      expect(response.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('with any origin allowed', () => {
    it('answers every page with "*" and no Vary on Origin', async () => {
      const response = await forAnyone.inject({
        method: 'GET',
        url: '/people',
        headers: { origin: stranger },
      });
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers.vary ?? '').not.toMatch(/\bOrigin\b/);
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });

  describe('credentials', () => {
    it('are allowed for the configured origins when asked for', async () => {
      const response = await preflight(withCredentials, portal);
      expect(response.headers['access-control-allow-origin']).toBe(portal);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
    });

    it('are never allowed with a wildcard: the app refuses to start', async () => {
      await expect(
        startApp(databaseUrl, {
          poolSize: 1,
          cors: { allowedOrigins: ['*'], allowCredentials: true },
        }),
      ).rejects.toThrow(/credentials cannot be allowed for any origin/);
    });
  });
});
