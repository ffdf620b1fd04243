import { openPostgresStore } from '../../src/store/postgres/index.js';
import { createThrowawayDatabase } from './postgres.js';
import { startTestServer, type TestServer } from './server.js';

/** Two Almanac nodes on one throwaway PostgreSQL database (alice and bob made through node A). */
export interface TwoNodes {
  readonly a: TestServer;
  readonly b: TestServer;
  close(): Promise<void>;
}

export async function startTwoPostgresNodes(): Promise<TwoNodes> {
  const db = await createThrowawayDatabase();
  const a = await startTestServer({ store: await openPostgresStore(db.url) });
  const b = await startTestServer({ store: await openPostgresStore(db.url), users: {} });
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await db.drop();
    },
  };
}
