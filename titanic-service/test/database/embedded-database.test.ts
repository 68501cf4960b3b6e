import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from '../../src/database/embedded-database.js';
import { describeContract } from '../support/contract.js';
import { startApp } from '../support/test-app.js';

// The path `npm start` takes with no DATABASE_URL: PGlite behind a socket, through the same pool.
let database: EmbeddedDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await startEmbeddedDatabase();
  app = await startApp(database.connectionString, { poolSize: 1 });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describeContract('the people API on embedded PGlite', () => app);
