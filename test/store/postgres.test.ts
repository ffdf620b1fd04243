/**
 * The store conformance suite against PostgreSQL, one throwaway database per case. Without a
 * server the suite is skipped locally; under CI=true it fails (see test/helpers/postgres.ts).
 */
import { describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';
import { runStoreConformance, type OpenedStore } from './conformance/index.js';
import { runAclConformance } from './conformance-acl.js';

const skip = await postgresSkipReason();
if (skip) {
  describe('store conformance: postgres', () => {
    it('needs a PostgreSQL server', { skip }, () => undefined);
  });
} else {
  const open = async (): Promise<OpenedStore> => {
    const db = await createThrowawayDatabase();
    try {
      const store = await openPostgresStore(db.url);
      return {
        store,
        async sql(text, params) {
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          try {
            let n = 0;
            await client.query(
              text.replace(/\?/g, () => `$${++n}`),
              [...params],
            );
          } finally {
            await client.end();
          }
        },
        async cleanup() {
          try {
            await store.close();
          } finally {
            await db.drop();
          }
        },
      };
    } catch (err) {
      await db.drop();
      throw err;
    }
  };
  runStoreConformance('postgres', open);
  runAclConformance('postgres', open);
}
