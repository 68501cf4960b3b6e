import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import type { PersonData } from '../../src/schemas/person.js';

/** A small data set of our own: quotes, parentheses, fractional ages, every class and sex. */
export const fixtureCsvPath = fileURLToPath(new URL('../fixtures/passengers.csv', import.meta.url));

/**
 * The real 887-row data set lives beside the repository (shared/data), never inside it;
 * tests that need it are skipped where it is absent. TITANIC_CSV overrides the location.
 */
export const dataSetCsvPath = [
  process.env.TITANIC_CSV,
  fileURLToPath(new URL('../../../../shared/data/titanic.csv', import.meta.url)),
  '/work/shared/data/titanic.csv',
].find((candidate): candidate is string => candidate !== undefined && existsSync(candidate));

/**
 * Load shedding is off by default here: on a loaded CI machine, schema compilation under coverage
 * can stall a worker's event loop past the threshold and shed the next second of requests.
 * test/plugins/under-pressure.test.ts turns it on to prove it works.
 */
export async function startApp(
  databaseUrl: string,
  options: { poolSize?: number } & Partial<
    Pick<AppOptions, 'seedCsvPath' | 'maxEventLoopDelayMs' | 'cors' | 'publicBaseUrl'>
  > = {},
): Promise<FastifyInstance> {
  const { poolSize, ...rest } = options;
  const app = buildApp({
    databaseUrl,
    databasePoolSize: poolSize ?? 10,
    maxEventLoopDelayMs: 0,
    logger: false,
    ...rest,
  });
  await app.ready();
  return app;
}

export const validPerson: PersonData = {
  survived: true,
  passengerClass: 2,
  name: 'Mrs. Test (Ada "Tester") Example',
  sex: 'female',
  age: 0.42,
  siblingsOrSpousesAboard: 1,
  parentsOrChildrenAboard: 0,
  fare: 13.5,
};
