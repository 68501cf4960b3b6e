import type { TestProject } from 'vitest/node';
import { PostgresServer } from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One PostgreSQL for the whole run; every test file creates its own database in it. */
export default async function setup(project: TestProject) {
  const server = await PostgresServer.start();
  project.provide('postgresUrl', server.url());
  return async () => {
    await server.destroy();
  };
}
