import { readFile } from 'node:fs/promises';
import fastJson from 'fast-json-stringify';
import fastifyPlugin from 'fastify-plugin';
import { Type } from 'typebox';
import { parsePassengerCsv } from '../people/passenger-csv.js';
import { People } from '../people/people.js';
import { PeopleRepository } from '../people/people-repository.js';
import { Person } from '../schemas/person.js';

declare module 'fastify' {
  interface FastifyInstance {
    people: People;
  }
}

export interface PeopleOptions {
  /** Loaded into `people` when the table is empty. */
  seedCsvPath?: string | undefined;
}

/** The people use cases on the database's pool; seeds an empty table and warms the list cache. */
export default fastifyPlugin<PeopleOptions>(
  async (app, options) => {
    const repository = new PeopleRepository(app.pool);
    if (options.seedCsvPath !== undefined) {
      try {
        const records = parsePassengerCsv(await readFile(options.seedCsvPath, 'utf8'));
        const seeded = await repository.seedIfEmpty(records);
        app.log.info({ seeded, file: options.seedCsvPath }, 'seeded people from CSV');
      } catch (error) {
        // The app never becomes ready, so the database's onClose may never run: release it now.
        await app.pool.end();
        throw error;
      }
    }

    // The list is serialized by the same schema that documents GET /people.
    const people = new People(repository, fastJson(Type.Array(Person)));
    app.decorate('people', people);

    // Fill the cache before the first request; a failure here only means the first read fills it.
    app.addHook('onReady', async () => {
      await people.list().catch((error: unknown) => {
        app.log.warn({ err: error }, 'could not preload the people list');
      });
    });
  },
  { name: 'people', dependencies: ['database'] },
);
