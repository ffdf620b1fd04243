/**
 * The change feed cuts itself back (store/sql/change-feed.ts): every 1,000th change of a
 * collection drops what lies more than 50,000 changes back and raises the collection's floor, so
 * an older sync token gets DAV:valid-sync-token (RFC 6578 §3.2) and the client syncs in full.
 * On PostgreSQL the bump, the feed rows and the cut-back are one deferred statement; on SQLite
 * they are steps. Both must leave the same feed: run on both, against real databases, with the
 * collection's sequence moved near the boundary by hand (50,000 writes would take minutes).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openPostgres } from '../../src/store/postgres/postgres-driver.js';
import { PG_RECORD } from '../../src/store/sql/change-feed.js';
import type { SqlDriver } from '../../src/store/sql/driver.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-driver.js';
import type { Store } from '../../src/store/store.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';

const skipPostgres = await postgresSkipReason();
const HOME = '/calendars/alice';
const CAL = `${HOME}/work`;

interface Opened {
  store: Store;
  /** A second connection to the same database, for what no store method does. */
  raw: SqlDriver;
}

function cases(opened: () => Opened): void {
  let ownerId: number;
  let calId: number;
  let homeId: number;

  const write = (name: string): Promise<unknown> =>
    opened().store.transaction([CAL], (tx) =>
      tx.putObject(`${CAL}/${name}`, {
        ownerId,
        body: new TextEncoder().encode(name),
        contentType: 'text/calendar',
        etag: `"${name}"`,
      }),
    );
  const seqs = async (id: number): Promise<number[]> =>
    (await opened().store.changesSince(id, 0, 100)).map((c) => c.seq);

  before(async () => {
    const { store } = opened();
    [ownerId, homeId, calId] = await store.transaction([HOME], async (tx) => {
      const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
      const home = await tx.createCollection(HOME, { ownerId: u.id, home: true });
      const cal = await tx.createCollection(CAL, { ownerId: u.id, collectionType: 'calendar' });
      return [u.id, home.id, cal.id];
    });
    for (const n of ['a', 'b', 'c']) await write(`${n}.ics`);
  });

  it('a member write records it in its collection and the collection in its home, each with its next seq (RFC 6578 §3.5.1)', async () => {
    const { store } = opened();
    const feed = await store.changesSince(homeId, 0, 100);
    assert.deepEqual(
      feed.map((c) => [c.seq, c.name, c.op]),
      [
        [1, 'work/', 'put'],
        [2, 'work/', 'put'],
        [3, 'work/', 'put'],
        [4, 'work/', 'put'],
      ],
    );
    assert.deepEqual(
      (await store.changesSince(calId, 0, 100)).map((c) => [c.seq, c.name, c.op]),
      [
        [1, 'a.ics', 'put'],
        [2, 'b.ics', 'put'],
        [3, 'c.ics', 'put'],
      ],
    );
  });

  it('the 51,000th change drops the changes up to 1,000 and raises the floor to 1,000; the 50,999th drops nothing', async () => {
    const { store, raw } = opened();
    await raw.transaction([], async (c) => {
      await c.run('UPDATE resources SET sync_seq = ? WHERE id = ?', [50_998, calId]);
      await c.run(
        `INSERT INTO changes (collection_id, seq, name, op, origin, at) VALUES (?, 1000, 'old.ics', 'put', NULL, 0), (?, 1001, 'kept.ics', 'put', NULL, 0)`,
        [calId, calId],
      );
    });
    await write('d.ics');
    assert.deepEqual(await seqs(calId), [1, 2, 3, 1000, 1001, 50_999], 'nothing dropped at 50,999');
    assert.equal(await store.oldestSyncSeq(calId), 0);
    const before = await store.getResource(CAL);
    await write('e.ics');
    assert.deepEqual(await seqs(calId), [1001, 50_999, 51_000]);
    assert.equal(await store.oldestSyncSeq(calId), 1_000);
    const now = await store.getResource(CAL);
    assert.equal(now?.syncSeq, 51_000);
    assert.equal(now?.metaSeq, (before?.metaSeq ?? 0) + 1, 'a sync answer cached for an old token is stale');
    assert.deepEqual(await seqs(homeId), [1, 2, 3, 4, 5, 6], "the home's feed is its own: nothing dropped");
    assert.equal(await store.oldestSyncSeq(homeId), 0);
    await write('f.ics');
    assert.equal(await store.oldestSyncSeq(calId), 1_000, 'the next change leaves the floor');
    assert.deepEqual(await seqs(calId), [1001, 50_999, 51_000, 51_001]);
  });
}

describe('change feed compaction: SQLite', () => {
  let dir: string;
  let opened: Opened;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-feed-'));
    const file = join(dir, 'a.sqlite');
    opened = { store: openSqliteStore(file), raw: openSqlite(file) };
  });
  after(async () => {
    await opened.store.close();
    await opened.raw.close();
    rmSync(dir, { recursive: true, force: true });
  });
  cases(() => opened);
});

describe('change feed compaction: PostgreSQL (one deferred statement)', { skip: skipPostgres }, () => {
  let opened: Opened | undefined;
  let drop: (() => Promise<void>) | undefined;
  before(async () => {
    const db = await createThrowawayDatabase();
    drop = db.drop;
    opened = { store: await openPostgresStore(db.url), raw: await openPostgres(db.url, 1) };
  });
  after(async () => {
    await opened?.store.close();
    await opened?.raw.close();
    await drop?.();
  });
  cases(() => opened!);

  it('the bump finds the collection and its ancestors by primary key, not by a scan of every resource', async () => {
    const { raw } = opened!;
    const cal = await opened!.store.getResource(CAL);
    await raw.transaction([], async (c) => {
      await c.run(
        `INSERT INTO resources (path, parent_id, is_collection, owner_id, etag, created_at, modified_at)
         SELECT ? || '/n' || g, ?, 0, ?, '', 0, 0 FROM generate_series(1, 3000) g`,
        [CAL, cal!.id, cal!.ownerId],
      );
      await c.run('ANALYZE resources');
    });
    const plan = (
      await raw.reader.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${PG_RECORD}`, [cal!.id, cal!.id, 1, 'x', 'put', null, 1])
    )
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    assert.doesNotMatch(plan, /Seq Scan on resources/, plan);
    assert.match(plan, /Index Cond: \(id = ANY/, plan);
  });
});
