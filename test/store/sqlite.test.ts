/** The store conformance suite against SQLite, one temporary database file per case. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { runStoreConformance, type OpenedStore } from './conformance/index.js';
import { runAclConformance } from './conformance-acl.js';

async function open(): Promise<OpenedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-store-'));
  const file = join(dir, 'almanac.sqlite');
  const store = openSqliteStore(file);
  return {
    store,
    async sql(text, params) {
      const db = new Database(file);
      try {
        db.pragma('busy_timeout = 10000');
        db.prepare(text).run(...params);
      } finally {
        db.close();
      }
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runStoreConformance('sqlite', open);
runAclConformance('sqlite', open);
