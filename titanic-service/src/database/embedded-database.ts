import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  connectionString: string;
  close(): Promise<void>;
}

/**
 * An in-memory PostgreSQL (PGlite) behind a loopback socket, so the app reaches it through the
 * same `pg` pool as a real server. PGlite runs one connection at a time: local use only.
 */
export async function startEmbeddedDatabase(): Promise<EmbeddedDatabase> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  return {
    connectionString: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
