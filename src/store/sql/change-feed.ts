import type { Change } from '../types.js';
import { StoreError } from '../store.js';
import { memberName } from '../paths.js';
import type { SqlTxConn, SqlValue } from './driver.js';

/** How many changes a collection's feed keeps; older sync tokens get DAV:valid-sync-token (RFC 6578 §3.2). */
const HISTORY = 50_000;
/** The feed is cut back every this many changes of a collection. */
const COMPACT_EVERY = 1_000;

/** One change to record: `name` (a member's feed name) in collection `collectionId`. */
export interface FeedEntry {
  readonly collectionId: number;
  readonly name: string;
  readonly op: Change['op'];
  readonly origin: string | null;
  readonly now: number;
}

/**
 * PostgreSQL: the whole of `record` as one statement, deferred (issue #20). The bump, the feed
 * rows and the cut-back are data-modifying WITH queries (PostgreSQL §7.8.4) on one snapshot:
 * nothing in the transaction waits for their answer, so the collection's row, which every write
 * to it holds from this UPDATE to commit, is held for no round trip to Almanac and no turn of
 * its event loop. An ancestor's entry names the member below it in the walk: its last path
 * segment and a slash (paths.ts memberName). The compaction folds into the bump (one row is
 * updated once per statement) and deletes what lies HISTORY changes back. The walk's ids are
 * matched as an array: with `IN (SELECT …)` the planner guessed a hundred rows and hash-joined a
 * scan of every resource (3 ms at 3,000 resources, growing with the store, under the home's row).
 * Parameters: collection id (×2), now, name, op, origin, now.
 */
export const PG_RECORD = `WITH RECURSIVE up (id, parent_id) AS (
    SELECT id, parent_id FROM resources WHERE id = ?
    UNION SELECT r.id, r.parent_id FROM resources r JOIN up ON r.id = up.parent_id),
  bumped AS (
    UPDATE resources SET sync_seq = sync_seq + 1,
      meta_seq = meta_seq + CASE WHEN id = ? THEN 0 ELSE 1 END
        + CASE WHEN (sync_seq + 1) % ${COMPACT_EVERY} = 0 AND sync_seq + 1 - ${HISTORY} > sync_floor THEN 1 ELSE 0 END,
      sync_floor = CASE WHEN (sync_seq + 1) % ${COMPACT_EVERY} = 0
        THEN GREATEST(sync_floor, sync_seq + 1 - ${HISTORY}) ELSE sync_floor END,
      modified_at = ?
    WHERE id = ANY (ARRAY(SELECT id FROM up))
    RETURNING id, sync_seq, parent_id, path),
  added AS (
    INSERT INTO changes (collection_id, seq, name, op, origin, at)
    SELECT b.id, b.sync_seq, COALESCE(substring(below.path from '[^/]*$') || '/', ?),
      CASE WHEN below.id IS NULL THEN ? ELSE 'put' END, ?, ?
    FROM bumped b LEFT JOIN bumped below ON below.parent_id = b.id)
  DELETE FROM changes d USING bumped b
  WHERE d.collection_id = b.id AND b.sync_seq % ${COMPACT_EVERY} = 0 AND b.sync_seq > ${HISTORY}
    AND d.seq <= b.sync_seq - ${HISTORY}`;

/**
 * A collection's change feed (RFC 6578): the `changes` rows, the sequence on the collection's
 * row that numbers them (`sync_seq`, its sync token and CTag) and the floor below which they are
 * gone (`sync_floor`). Every write of the store records through here.
 */
export const CHANGE_FEED = {
  /**
   * Append a change to a collection's feed and bump its sequence. The bump changes the
   * collection's entity tag (`"c<id>-<seq>"`), so its parent's feed records the collection as
   * changed too, and so on up to the home (RFC 6578 §3.5.1: "Collection member URLs MUST be
   * returned as changed if ... the entity tag associated with that resource changes"). A
   * sync-collection on a calendar home thus reports the calendars whose contents changed, as
   * CalendarServer does and iOS and macOS expect; the home's CTag moves with any change below it.
   * An ancestor's metadata state (Resource.metaSeq) moves with its feed too: it lists the
   * collection below, whose etag and sync token just changed.
   *
   * Bounded history: every COMPACT_EVERY changes, what lies more than HISTORY back is dropped.
   * Older sync tokens then get DAV:valid-sync-token and the client does a full sync instead.
   */
  async record(db: SqlTxConn, e: FeedEntry): Promise<void> {
    if (db.dialect === 'postgres') {
      // The caller holds the collection (it read it under its area's lock), so the walk finds it.
      db.defer(PG_RECORD, [e.collectionId, e.collectionId, e.now, e.name, e.op, e.origin, e.now]);
      return;
    }
    // SQLite answers at once, in process: the same steps one by one.
    if (!(await append(db, e.collectionId, [e])))
      throw new StoreError('not-found', `collection ${e.collectionId} vanished`);
  },

  /**
   * Record a transaction's changes at its end, collection by collection (StoreTx.recordChangesAtEnd,
   * issue #20: an import of 5,000 events bumped its calendar and the calendar's ancestors 5,000
   * times, each a walk up the parent chain). A collection's entries are numbered in the order
   * given, one sequence number each, in one bump of its sequence; its ancestors are bumped once. Of several entries for one name the last is kept (a member
   * written twice in the transaction is one change in the feed: RFC 6578 §3.5 reports a member's
   * state, not its history). A collection deleted in the transaction has no feed left: skipped.
   */
  async recordBatch(db: SqlTxConn, entries: readonly FeedEntry[]): Promise<void> {
    const byCollection = new Map<number, Map<string, FeedEntry>>();
    for (const e of entries) {
      let names = byCollection.get(e.collectionId);
      if (!names) byCollection.set(e.collectionId, (names = new Map()));
      names.delete(e.name); // the last entry of a name takes its place in the order
      names.set(e.name, e);
    }
    for (const [collectionId, names] of byCollection) await append(db, collectionId, [...names.values()]);
  },

  /** Drop a collection's changes up to `keepAfterSeq`; tokens at or below it stop being valid. */
  async compact(db: SqlTxConn, collectionId: number, keepAfterSeq: number): Promise<void> {
    await db.run('DELETE FROM changes WHERE collection_id = ? AND seq <= ?', [collectionId, keepAfterSeq]);
    // A sync answer cached for a token at or below the new floor is stale: the metadata state moves.
    await db.run('UPDATE resources SET sync_floor = ?, meta_seq = meta_seq + 1 WHERE id = ? AND sync_floor < ?', [
      keepAfterSeq,
      collectionId,
      keepAfterSeq,
    ]);
  },
};

/** Most change rows one INSERT appends (six parameters each). */
const APPEND_ROWS = 64;

/** The row counts `n` rows are appended in: APPEND_ROWS at a time, then powers of two (few statement texts). */
function chunkSizes(n: number): number[] {
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const size = left >= APPEND_ROWS ? APPEND_ROWS : 2 ** Math.floor(Math.log2(left));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * The walk up from a collection, bumping its sequence by `steps` and each ancestor's by one;
 * rows as the UPDATE left them. (UNION, not UNION ALL: the walk ends on any row seen twice, so
 * even a damaged parent chain cannot make it loop.) On PostgreSQL the walk's ids are matched as
 * an array, as in PG_RECORD. Parameters: collection id, steps, collection id, now, collection id.
 * One text per dialect, built once (every SQLite write runs it: a text built per call is hashed
 * again by the statement cache).
 */
function bumpSql(match: (walk: string) => string): string {
  const walk = `WITH RECURSIVE up (id, parent_id) AS (
         SELECT id, parent_id FROM resources WHERE id = ?
         UNION SELECT r.id, r.parent_id FROM resources r JOIN up ON r.id = up.parent_id) SELECT id FROM up`;
  return `UPDATE resources SET sync_seq = sync_seq + CASE WHEN id = ? THEN CAST(? AS INTEGER) ELSE 1 END,
       meta_seq = meta_seq + CASE WHEN id = ? THEN 0 ELSE 1 END, modified_at = ?
       WHERE ${match(walk)}
       RETURNING id, sync_seq, parent_id, path`;
}
const BUMP: Readonly<Record<SqlTxConn['dialect'], string>> = {
  sqlite: bumpSql((walk) => `id IN (${walk})`),
  postgres: bumpSql((walk) => `id = ANY (ARRAY(${walk}))`),
};

/** The INSERT of `size` change rows, one text per size chunkSizes gives, built once. */
const APPEND_SQL = new Map<number, string>();
function appendSql(size: number): string {
  let sql = APPEND_SQL.get(size);
  if (sql === undefined) {
    sql = `INSERT INTO changes (collection_id, seq, name, op, origin, at) VALUES ${Array(size).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;
    APPEND_SQL.set(size, sql);
  }
  return sql;
}

/**
 * Append `entries` (all in `collectionId`, in order) to the collection's feed, and one change to
 * each ancestor's: the collection below it, changed. Returns false when the collection is gone.
 * Where a sequence passes a multiple of COMPACT_EVERY, what lies HISTORY before it is dropped.
 */
async function append(db: SqlTxConn, collectionId: number, entries: readonly FeedEntry[]): Promise<boolean> {
  const last = entries[entries.length - 1];
  if (!last) return true;
  const rows = await db.all<{ id: number; sync_seq: number; parent_id: number | null; path: string }>(
    BUMP[db.dialect],
    [collectionId, entries.length, collectionId, last.now, collectionId],
  );
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  let at = byId.get(collectionId);
  if (!at) return false;
  const top = Number(at.sync_seq);
  const first = top - entries.length + 1;
  const values: SqlValue[][] = entries.map((e, i) => [collectionId, first + i, e.name, e.op, e.origin, e.now]);
  const bumped = [{ id: collectionId, from: first, to: top }];
  // Up the parent chain as the UPDATE returned it, at most once per row returned.
  while (at.parent_id !== null && bumped.length < rows.length) {
    const below: string = at.path;
    at = byId.get(Number(at.parent_id));
    if (!at) break;
    const seq = Number(at.sync_seq);
    values.push([Number(at.id), seq, memberName(below, true), 'put', last.origin, last.now]);
    bumped.push({ id: Number(at.id), from: seq, to: seq });
  }
  let i = 0;
  for (const size of chunkSizes(values.length)) {
    db.defer(appendSql(size), values.slice(i, (i += size)).flat());
  }
  for (const b of bumped) {
    const mark = b.to - (b.to % COMPACT_EVERY); // the last multiple of COMPACT_EVERY at or below `to`
    if (mark >= b.from && mark > HISTORY) await CHANGE_FEED.compact(db, b.id, mark - HISTORY);
  }
  return true;
}
