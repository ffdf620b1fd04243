/**
 * DESIGN, Convention 9: numbered migrations per dialect, and a test that both reach the same
 * logical schema. Type names differ by dialect (INTEGER/BIGINT, BLOB/BYTEA); everything else —
 * tables, columns, NOT NULL, primary keys, unique constraints, foreign keys, named indexes —
 * must match, so a column added to one dialect only fails here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { RESOURCE_COLUMNS } from '../../src/store/sql/rows.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';

/** A dialect-neutral description of a schema; every list sorted so order does not matter. */
interface LogicalSchema {
  /** table → ["column", "column NOT NULL", …] */
  columns: Record<string, string[]>;
  /** "table(col, col)" */
  primaryKeys: string[];
  uniques: string[];
  /** "table(col) → other(col) on delete …" */
  foreignKeys: string[];
  /** "name on table(col, col)" for explicitly created (non-constraint) indexes */
  indexes: string[];
}

const sorted = (xs: string[]): string[] => [...xs].sort();

function sqliteSchema(file: string): LogicalSchema {
  const db = new Database(file, { readonly: true });
  try {
    const all = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string; sql: string }[];
    const schema: LogicalSchema = { columns: {}, primaryKeys: [], uniques: [], foreignKeys: [], indexes: [] };
    // A full-text index is an FTS5 table over another table's columns here (external content)
    // and an index of that table in PostgreSQL (pg_trgm GIN): both count as an index of the
    // content table's columns, under the FTS5 table's name; its shadow tables are its storage.
    const fts = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql));
    for (const t of fts) {
      const args = /USING fts5\(([\s\S]*)\)\s*$/i.exec(t.sql)?.[1] ?? '';
      const parts = args.split(',').map((a) => a.trim());
      const named = /^content\s*=\s*'([^']+)'$/i.exec(parts.find((a) => /^content\s*=/i.test(a)) ?? '')?.[1];
      // Content read through a view (of some of a table's rows): the index is that table's.
      const view = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?").get(named) as
        { sql: string } | undefined;
      const content = view ? (/\bFROM\s+(\w+)/i.exec(view.sql)?.[1] ?? named) : named;
      const cols = parts.filter((a) => !a.includes('='));
      schema.indexes.push(`${t.name} on ${content ?? '?'}(${cols.join(', ')})`);
    }
    const tables = all
      .map((t) => t.name)
      .filter((name) => !fts.some((f) => name === f.name || name.startsWith(`${f.name}_`)));
    for (const t of tables) {
      const cols = db.prepare('SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(?)').all(t) as {
        name: string;
        type: string;
        nn: number;
        pk: number;
      }[];
      const pkCols = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      // Only an INTEGER PRIMARY KEY (the rowid) is implicitly NOT NULL in SQLite; any other
      // primary-key column accepts NULL unless declared NOT NULL.
      const rowid = pkCols.length === 1 && pkCols[0]!.type.toUpperCase() === 'INTEGER' ? pkCols[0]!.name : null;
      schema.columns[t] = sorted(cols.map((c) => (c.nn === 1 || c.name === rowid ? `${c.name} NOT NULL` : c.name)));
      if (pkCols.length > 0) schema.primaryKeys.push(`${t}(${pkCols.map((c) => c.name).join(', ')})`);
      for (const ix of db.prepare('SELECT name, "unique" AS u, origin FROM pragma_index_list(?)').all(t) as {
        name: string;
        u: number;
        origin: string;
      }[]) {
        const ixCols = (
          db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(ix.name) as { name: string }[]
        )
          .map((c) => c.name)
          .join(', ');
        if (ix.origin === 'u') schema.uniques.push(`${t}(${ixCols})`);
        if (ix.origin === 'c') schema.indexes.push(`${ix.name}${ix.u ? ' unique' : ''} on ${t}(${ixCols})`);
      }
      for (const fk of db
        .prepare('SELECT "table" AS ref, "from" AS col, "to" AS refcol, on_delete FROM pragma_foreign_key_list(?)')
        .all(t) as { ref: string; col: string; refcol: string; on_delete: string }[]) {
        schema.foreignKeys.push(`${t}(${fk.col}) → ${fk.ref}(${fk.refcol}) on delete ${fk.on_delete.toLowerCase()}`);
      }
    }
    for (const k of ['primaryKeys', 'uniques', 'foreignKeys', 'indexes'] as const) schema[k] = sorted(schema[k]);
    return schema;
  } finally {
    db.close();
  }
}

async function postgresSchema(url: string): Promise<LogicalSchema> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const schema: LogicalSchema = { columns: {}, primaryKeys: [], uniques: [], foreignKeys: [], indexes: [] };
    const cols = await c.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT c.table_name, c.column_name, c.is_nullable FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
    );
    for (const r of cols.rows) {
      (schema.columns[r.table_name] ??= []).push(r.is_nullable === 'NO' ? `${r.column_name} NOT NULL` : r.column_name);
    }
    for (const t of Object.keys(schema.columns)) schema.columns[t] = sorted(schema.columns[t]!);
    const constraints = await c.query<{
      contype: string;
      tbl: string;
      cols: string[];
      reftbl: string | null;
      refcols: string[] | null;
      confdeltype: string;
    }>(
      `SELECT x.contype, t.relname AS tbl,
         (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(x.conkey) WITH ORDINALITY k(n, ord)
            JOIN pg_attribute a ON a.attrelid = x.conrelid AND a.attnum = k.n) AS cols,
         r.relname AS reftbl,
         (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(x.confkey) WITH ORDINALITY k(n, ord)
            JOIN pg_attribute a ON a.attrelid = x.confrelid AND a.attnum = k.n) AS refcols,
         x.confdeltype
       FROM pg_constraint x JOIN pg_class t ON t.oid = x.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_class r ON r.oid = x.confrelid
       WHERE n.nspname = current_schema() AND x.contype IN ('p', 'u', 'f')`,
    );
    const onDelete: Record<string, string> = {
      a: 'no action',
      r: 'restrict',
      c: 'cascade',
      n: 'set null',
      d: 'set default',
    };
    for (const k of constraints.rows) {
      const cs = k.cols.join(', ');
      if (k.contype === 'p') schema.primaryKeys.push(`${k.tbl}(${cs})`);
      if (k.contype === 'u') schema.uniques.push(`${k.tbl}(${cs})`);
      if (k.contype === 'f')
        schema.foreignKeys.push(
          `${k.tbl}(${cs}) → ${k.reftbl}(${k.refcols?.join(', ')}) on delete ${onDelete[k.confdeltype]}`,
        );
    }
    const indexes = await c.query<{ name: string; tbl: string; uniq: boolean; cols: string[] }>(
      `SELECT i.relname AS name, t.relname AS tbl, x.indisunique AS uniq,
         (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(x.indkey) WITH ORDINALITY k(n, ord)
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n) AS cols
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
    );
    for (const ix of indexes.rows)
      schema.indexes.push(`${ix.name}${ix.uniq ? ' unique' : ''} on ${ix.tbl}(${ix.cols.join(', ')})`);
    for (const k of ['primaryKeys', 'uniques', 'foreignKeys', 'indexes'] as const) schema[k] = sorted(schema[k]);
    return schema;
  } finally {
    await c.end();
  }
}

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-migrations-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const skip = await postgresSkipReason();

describe('migrations', () => {
  it('migrations: each dialect numbers its migrations 1..n without gaps (DESIGN: numbered migrations per dialect)', () => {
    for (const list of [SQLITE_MIGRATIONS, POSTGRES_MIGRATIONS]) {
      assert.deepEqual(
        list.map((m) => m.version),
        list.map((_, i) => i + 1),
      );
    }
  });

  it('migrations: SQLite reaches its schema and re-opening applies nothing twice', async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'a.sqlite');
      await openSqliteStore(file).close();
      const first = sqliteSchema(file);
      await openSqliteStore(file).close();
      assert.deepEqual(sqliteSchema(file), first);
      const db = new Database(file, { readonly: true });
      const versions = (
        db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
      ).map((r) => r.version);
      assert.deepEqual(
        versions,
        SQLITE_MIGRATIONS.map((m) => m.version),
      );
      assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
      db.close();
      assert.ok(first.columns.resources?.includes('path NOT NULL'));
    } finally {
      tmp.remove();
    }
  });

  it("migrations: SQLite keeps a resource's BLOBs after every column a listing reads (no overflow chain walked per member)", async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'order.sqlite');
      await openSqliteStore(file).close();
      const db = new Database(file, { readonly: true });
      const order = (db.prepare('SELECT name FROM pragma_table_info(?)').all('resources') as { name: string }[]).map(
        (c) => c.name,
      );
      db.close();
      const lastListed = Math.max(...RESOURCE_COLUMNS.split(',').map((c) => order.indexOf(c.trim())));
      for (const blob of ['body', 'event_intervals']) {
        assert.ok(order.indexOf(blob) > lastListed, `${blob} comes after every listed column: ${order.join(', ')}`);
      }
    } finally {
      tmp.remove();
    }
  });

  it('migrations: a SQLite database at version 1 upgrades with its data, ids and foreign keys intact', async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'v1.sqlite');
      const db = new Database(file);
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
      db.exec(SQLITE_MIGRATIONS[0]!.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (1, 0)').run();
      db.exec(`
        INSERT INTO users (id, name, password_hash, created_at) VALUES (7, 'alice', 'h', 1);
        INSERT INTO resources (id, path, parent_id, is_collection, owner_id, etag, created_at, modified_at, sync_seq)
          VALUES (10, '/files/alice', NULL, 1, 7, '', 1, 1, 1);
        INSERT INTO resources (id, path, parent_id, is_collection, owner_id, etag, created_at, modified_at, body, size, content_type)
          VALUES (11, '/files/alice/a.txt', 10, 0, 7, '"a"', 1, 1, X'00FF', 2, 'text/plain');
        INSERT INTO resources (id, path, parent_id, is_collection, owner_id, etag, created_at, modified_at, body, size, component, first_start, last_end)
          VALUES (12, '/files/alice/e.ics', 10, 0, 7, '"e"', 1, 1, X'00', 1, 'VEVENT', 1000, 90000000),
                 (13, '/files/alice/f.ics', 10, 0, 7, '"f"', 1, 1, X'00', 1, 'VEVENT', 1000, NULL);
        INSERT INTO properties VALUES (11, '{urn:x}p', '<p xmlns="urn:x"/>');
        INSERT INTO changes VALUES (10, 1, 'a.txt', 'put', NULL, 1);
        INSERT INTO locks VALUES ('tok', '/files/alice/a.txt', '0', 'exclusive', NULL, 7, 60, 9999999999999, 1);`);
      db.close();

      const store = openSqliteStore(file);
      try {
        assert.equal((await store.getUserByName('alice'))?.id, 7);
        const obj = await store.getResource('/files/alice/a.txt');
        assert.deepEqual([obj?.id, obj?.parentId, obj?.ownerId, obj?.etag], [11, 10, 7, '"a"']);
        assert.deepEqual([...(await store.readBody(11))], [0, 255]);
        assert.equal((await store.getProperties(11)).length, 1);
        assert.deepEqual(
          (await store.changesSince(10, 0, 10)).map((c) => c.name),
          ['a.txt'],
        );
        assert.equal((await store.getLock('tok', 0))?.path, '/files/alice/a.txt');
        const next = await store.transaction([], (t) =>
          t.putObject('/files/alice/b.txt', {
            ownerId: 7,
            body: new Uint8Array([1]),
            contentType: null,
            etag: '"b"',
          }),
        );
        assert.ok(next.resource.id > 13);
        assert.deepEqual(
          (await store.queryObjects(10, { component: 'VEVENT', rangeStart: 2000, rangeEnd: 3000 })).map((r) => r.id),
          [12, 13],
        );
        assert.deepEqual(
          (await store.queryObjects(10, { component: 'VEVENT', rangeStart: 90000000, rangeEnd: 90000001 })).map(
            (r) => r.id,
          ),
          [13],
        );
        assert.equal((await store.getResource('/files/alice'))?.syncSeq, 2);
      } finally {
        await store.close();
      }
      const check = new Database(file, { readonly: true });
      // Migration 6 classified the existing envelopes (store/sql/span-class.ts): 1 day + ε → class 1, open → 5.
      assert.deepEqual(check.prepare('SELECT id, span_class FROM resources WHERE id IN (12, 13) ORDER BY id').all(), [
        { id: 12, span_class: 1 },
        { id: 13, span_class: 5 },
      ]);
      assert.deepEqual(check.prepare('PRAGMA foreign_key_check').all(), []);
      assert.deepEqual(check.prepare('PRAGMA integrity_check').all(), [{ integrity_check: 'ok' }]);
      check.close();
    } finally {
      tmp.remove();
    }
  });

  describe('migrations: SQLite and PostgreSQL', () => {
    let sqlite: LogicalSchema;
    let postgres: LogicalSchema;
    const cleanups: (() => Promise<void> | void)[] = [];

    before(async () => {
      if (skip) return;
      const tmp = tempDir();
      cleanups.push(tmp.remove);
      const file = join(tmp.dir, 'schema.sqlite');
      await openSqliteStore(file).close();
      sqlite = sqliteSchema(file);
      const db = await createThrowawayDatabase();
      cleanups.push(db.drop);
      await (await openPostgresStore(db.url)).close();
      postgres = await postgresSchema(db.url);
    });

    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('migrations: both dialects have the same tables', { skip }, () => {
      assert.deepEqual(Object.keys(postgres.columns).sort(), Object.keys(sqlite.columns).sort());
    });

    it(
      'migrations: both dialects have the same columns with the same NOT NULL-ness (DESIGN: same logical schema)',
      { skip },
      () => {
        assert.deepEqual(postgres.columns, sqlite.columns);
      },
    );

    it('migrations: both dialects have the same primary keys, unique constraints and foreign keys', { skip }, () => {
      assert.deepEqual(postgres.primaryKeys, sqlite.primaryKeys);
      assert.deepEqual(postgres.uniques, sqlite.uniques);
      assert.deepEqual(postgres.foreignKeys, sqlite.foreignKeys);
    });

    it('migrations: both dialects have the same named indexes on the same columns', { skip }, () => {
      assert.deepEqual(postgres.indexes, sqlite.indexes);
    });

    it('migrations: a PostgreSQL database at version 1 upgrades with its data intact', { skip }, async () => {
      const db = await createThrowawayDatabase();
      try {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        await c.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
        await c.query(POSTGRES_MIGRATIONS[0]!.sql);
        await c.query(`INSERT INTO schema_migrations VALUES (1, 0);
          INSERT INTO users (id, name, password_hash, created_at) VALUES (7, 'alice', 'h', 1);
          INSERT INTO resources (id, path, parent_id, is_collection, owner_id, etag, created_at, modified_at)
            VALUES (10, '/files/alice', NULL, 1, 7, '', 1, 1);
          INSERT INTO properties VALUES (10, '{urn:x}b', '<b/>'), (10, '{urn:x}A', '<A/>');`);
        await c.end();
        const store = await openPostgresStore(db.url);
        try {
          assert.equal((await store.getUserByName('alice'))?.id, 7);
          assert.deepEqual(
            (await store.getProperties(10)).map((p) => p.name),
            ['{urn:x}A', '{urn:x}b'],
          );
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });
  });
});
