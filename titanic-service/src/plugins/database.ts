import fastifyPlugin from 'fastify-plugin';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../database/migrations.js';

declare module 'fastify' {
  interface FastifyInstance {
    pool: pg.Pool;
    /** The newest migration this build knows; /ready requires the database to hold it. */
    latestMigration: number;
  }
}

export interface DatabaseOptions {
  connectionString: string;
  poolSize: number;
}

/** The pg pool, and the database migrated to this build's schema before the app is ready. */
export default fastifyPlugin<DatabaseOptions>(
  async (app, options) => {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 15_000,
      application_name: 'titanic-service',
      // A new connection must start without prepared statements. The embedded PGlite serves every
      // connection from one session, so a connection opened after another was closed (idle for
      // 30 s) would find the named statements still there and fail to prepare them again.
      onConnect: async (client: pg.ClientBase) => {
        await client.query('DEALLOCATE ALL');
      },
    });
    // A connection dropped while idle (database restart) must not crash the process;
    // the pool replaces it on the next checkout.
    pool.on('error', (error) => app.log.warn({ err: error }, 'idle database connection failed'));
    app.addHook('onClose', async () => {
      await pool.end();
    });

    let migrations: Awaited<ReturnType<typeof readMigrations>>;
    try {
      migrations = await readMigrations();
      const applied = await applyMigrations(pool, migrations);
      if (applied.length > 0) app.log.info({ applied }, 'applied database migrations');
    } catch (error) {
      // The app never becomes ready, so onClose may never run: release the connections now.
      await pool.end();
      throw error;
    }

    app.decorate('pool', pool);
    app.decorate('latestMigration', migrations.at(-1)?.version ?? 0);
  },
  { name: 'database' },
);
