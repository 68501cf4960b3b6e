import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrated = new WeakMap<DatabaseService, Promise<Knex>>();

/**
 * The plugin's database with its migrations (`migrations/`) applied, once per database service
 * however many stores ask for it; unless Backstage's database config says to skip them.
 */
export function pluginDatabase(database: DatabaseService): Promise<Knex> {
  let knex = migrated.get(database);
  if (!knex) {
    knex = (async () => {
      const client = await database.getClient();
      if (!database.migrations?.skip) {
        await client.migrate.latest({
          directory: resolvePackagePath(
            '@internal/plugin-delivery-backend',
            'migrations',
          ),
        });
      }
      return client;
    })();
    migrated.set(database, knex);
  }
  return knex;
}
