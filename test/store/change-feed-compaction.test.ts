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
import type { Store, StoreTx } from '../../src/store/store.js';
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

  it("recordChangesAtEnd: the transaction's writes are one bump of the collection and one of its home, each member once, in order", async () => {
    const { store } = opened();
    const cal = await store.getResource(CAL);
    const home = await store.getResource(HOME);
    const put = (tx: StoreTx, name: string) =>
      tx.putObject(`${CAL}/${name}`, {
        ownerId,
        body: new TextEncoder().encode(name),
        contentType: 'text/calendar',
        etag: `"${name}"`,
      });
    const seen = await store.transaction([CAL], async (tx) => {
      tx.recordChangesAtEnd();
      await put(tx, 'g.ics');
      await put(tx, 'h.ics');
      await put(tx, 'g.ics');
      await tx.deleteResource(`${CAL}/a.ics`);
      return (await tx.getResource(CAL))?.syncSeq;
    });
    assert.equal(seen, cal?.syncSeq, 'reads in the transaction see the sequence from before its changes');
    assert.deepEqual(
      (await store.changesSince(calId, cal!.syncSeq, 100)).map((c) => [c.seq, c.name, c.op]),
      [
        [51_002, 'h.ics', 'put'],
        [51_003, 'g.ics', 'put'],
        [51_004, 'a.ics', 'delete'],
      ],
    );
    assert.equal((await store.getResource(CAL))?.syncSeq, 51_004);
    assert.deepEqual(
      (await store.changesSince(homeId, home!.syncSeq, 100)).map((c) => [c.seq, c.name, c.op]),
      [[home!.syncSeq + 1, 'work/', 'put']],
    );
  });

  it('recordChangesAtEnd: a batch that passes the 52,000th change drops the changes up to 2,000, as the 52,000th write would', async () => {
    const { store, raw } = opened();
    await raw.transaction([], async (c) => {
      await c.run('UPDATE resources SET sync_seq = ? WHERE id = ?', [51_990, calId]);
      await c.run(
        `INSERT INTO changes (collection_id, seq, name, op, origin, at) VALUES (?, 2000, 'old.ics', 'put', NULL, 0), (?, 2001, 'kept.ics', 'put', NULL, 0)`,
        [calId, calId],
      );
    });
    await store.transaction([CAL], async (tx) => {
      tx.recordChangesAtEnd();
      for (let i = 0; i < 20; i++)
        await tx.putObject(`${CAL}/batch-${i}.ics`, {
          ownerId,
          body: new Uint8Array([i]),
          contentType: 'text/calendar',
          etag: `"${i}"`,
        });
    });
    const left = await seqs(calId);
    assert.equal(left[0], 2001, 'everything up to 2,000 dropped');
    assert.deepEqual(
      left.slice(-20),
      Array.from({ length: 20 }, (_, i) => 51_991 + i),
    );
    assert.equal(await store.oldestSyncSeq(calId), 2_000);
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
