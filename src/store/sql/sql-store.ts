import { endianness } from 'node:os';
import type { SyncAnchor, SyncDevice, SyncIdMapEntry } from '../types.js';
import { ancestors, baseName, memberName, parentPath, sortByPath, subtreeRange } from '../paths.js';
import { cardSearch } from './card-search.js';
import { StoreError, type ForeignChanges, type Store, type StoreReader, type StoreTx, type TxLocks } from '../store.js';
import type {
  AuthFailures,
  CalendarSubscription,
  Change,
  NewOutboundItip,
  OutboundItip,
  OutboundItipResult,
  CreateCollectionOptions,
  DeadProperty,
  Lock,
  NewUser,
  ObjectQuery,
  PutOptions,
  PutResult,
  Resource,
  SearchEntry,
  SearchMatch,
  StoredIntervals,
  ExpandedText,
  User,
  AppPassword,
  AppPasswordScope,
} from '../types.js';
import type { SqlConn, SqlDriver, SqlTxConn, SqlValue } from './driver.js';
import { OUTBOUND_ITIP } from './outbound-itip.js';
import { withTxReadMemo, type MemoTxConn } from './tx-read-memo.js';
import { STATS } from './stats.js';
import type { StoreStats } from '../capabilities/stats.js';
import { GROUP_SHARES, SHARES } from './shares.js';
import { PER_USER } from './per-user-data.js';
import { PUSH } from './push.js';
import type {
  BrowserSubscription,
  NewOutboxMessage,
  OutboxMessage,
  UserNotification,
} from '../capabilities/push-messages.js';
import { PUSH_MESSAGES } from './push-messages.js';
import type { NewPushRegistration, PushChange, PushJob, PushOutcome, PushRegistration } from '../capabilities/push.js';
import { SUBSCRIPTIONS } from './subscriptions.js';
import { ACL } from './acl.js';
import { grantsFor } from './grants.js';
import { QUOTA_USAGE } from './quota-usage.js';
import { CHANGE_FEED, type FeedEntry } from './change-feed.js';
import { APP_PASSWORDS } from './app-passwords.js';
import type { Group, GrantRow, StoredAce } from '../capabilities/acl.js';
import type { GroupShare, NewGroupShare, NewShare, Share, ShareUpdate } from '../capabilities/shares.js';
import type { PerUserEntry } from '../capabilities/per-user-data.js';
import { SPAN_LIMITS_MS, UNBOUNDED_CLASS, spanClassOf } from './span-class.js';
import {
  PEOPLE,
  RESOURCE_COLUMNS,
  SYSTEM_ACCOUNT_NAME,
  toChange,
  toLock,
  toResource,
  toResourceFromArray,
  toUser,
  type ChangeRow,
  type LockRow,
  type ResourceRow,
  type UserRow,
} from './rows.js';

/** Most values bound in one IN list; longer lists are read in chunks of this size. */
const IN_CHUNK = 500;
const IN_SIZES = [1, 4, 16, 64, 256, IN_CHUNK];

/**
 * Placeholders for an IN list of at most IN_CHUNK values, padded (by repeating the last value,
 * which changes nothing) to one of a few fixed lengths: the statement text, and so the
 * prepared-statement cache, stays small whatever the list lengths are.
 */
function inList<T extends SqlValue>(values: readonly T[]): { marks: string; params: T[] } {
  const size = IN_SIZES.find((n) => n >= values.length) ?? values.length;
  const params = [...values];
  const last = values[values.length - 1];
  while (last !== undefined && params.length < size) params.push(last);
  return { marks: params.map(() => '?').join(','), params };
}

/** `values` in chunks of at most IN_CHUNK, each with its padded placeholders. */
function* inChunks<T extends SqlValue>(values: readonly T[]): Generator<{ marks: string; params: T[] }> {
  const unique = [...new Set(values)];
  for (let i = 0; i < unique.length; i += IN_CHUNK) yield inList(unique.slice(i, i + IN_CHUNK));
}

/** Most card_index rows one INSERT writes (a card has a handful: FN, N, EMAIL, TEL, …). */
const SEARCH_ROWS = 16;

const LITTLE_ENDIAN = endianness() === 'LE';

/** Float64 triples as little-endian bytes, the same on every platform and dialect. */
function encodeIntervals(v: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return Buffer.from(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  const out = Buffer.alloc(v.length * 8);
  v.forEach((x, i) => out.writeDoubleLE(x, i * 8));
  return out;
}

/**
 * `series_text` and `expanded_text` as stored: the etag of the version they were written with, a
 * newline, the text. A write that does not set the column — a node of a version from before it
 * (SQLite migrations 25 and 26, PostgreSQL 26 and 27) still running beside newer ones — leaves
 * the old text beside a new body; the etag then tells it apart, and `readEventIntervals` and
 * `readExpandedTexts` give no text for that row rather than another version's.
 */
function versionedText(etag: string, text: string): string {
  return `${etag}\n${text}`;
}

/** The text `versionedText` stored for `etag`, or null when it was stored for another version. */
function textOfVersion(stored: string, etag: string): string | null {
  const cut = stored.indexOf('\n');
  return cut >= 0 && stored.slice(0, cut) === etag ? stored.slice(cut + 1) : null;
}

function decodeIntervals(bytes: Uint8Array): Float64Array {
  // On little-endian hosts (all usual ones) the bytes are the array: one aligned copy.
  if (LITTLE_ENDIAN)
    return new Float64Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength - (bytes.byteLength % 8)),
    );
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(Math.floor(b.byteLength / 8));
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

/** A resource row by path and by id: the reads a transaction keeps until it writes (tx-read-memo.ts). */
const RESOURCE_BY_PATH = `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE path = ?`;
const RESOURCE_BY_ID = `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE id = ?`;
const RESOURCE_AND_PARENT_BY_PATH = `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE path IN (?, ?)`;
// An object's row written, as one text each (a text built per call is hashed again by every
// statement cache and memo that looks it up). Parameters: the object's columns, then its id
// (REPLACE_OBJECT) or its path, parent, owner, creation time and derived-from (INSERT_OBJECT).
const OBJECT_COLUMNS =
  'content_type, size, etag, modified_at, uid, component, first_start, last_end, span_exact, span_class, event_intervals, event_intervals_until, series_text, expanded_text, body';
const REPLACE_OBJECT = `UPDATE resources SET ${OBJECT_COLUMNS.split(', ')
  .map((c) => `${c} = ?`)
  .join(', ')} WHERE id = ? RETURNING ${RESOURCE_COLUMNS}`;
const INSERT_OBJECT = `INSERT INTO resources (${OBJECT_COLUMNS}, path, parent_id, is_collection, owner_id, created_at, derived)
  VALUES (${OBJECT_COLUMNS.split(', ')
    .map(() => '?')
    .join(', ')}, ?, ?, 0, ?, ?, ?) RETURNING ${RESOURCE_COLUMNS}`;
const PROPERTIES_OF = 'SELECT name, xml FROM properties WHERE resource_id = ? ORDER BY name';
/** The reads a transaction keeps until it writes their table (tx-read-memo.ts). */
const KEPT_IN_TX = new Map([
  [RESOURCE_BY_PATH, 'resources'],
  [RESOURCE_BY_ID, 'resources'],
  [PROPERTIES_OF, 'properties'],
]);

/** What a deleted resource's id keeps besides its row, then the row (`deleteRow`). */
const ROW_DELETES = [
  'DELETE FROM properties WHERE resource_id = ?',
  'DELETE FROM card_index WHERE resource_id = ?',
  'DELETE FROM calendar_subscriptions WHERE collection_id = ?',
  'DELETE FROM aces WHERE resource_id = ?',
  'DELETE FROM shares WHERE collection_id = ?',
  'DELETE FROM per_user_data WHERE resource_id = ?',
  'DELETE FROM changes WHERE collection_id = ?',
  'DELETE FROM resources WHERE id = ?',
] as const;

/** Read queries, written once for every SQL dialect. */
class SqlReader implements StoreReader {
  constructor(protected readonly db: SqlConn) {}

  async getUserByName(name: string): Promise<User | null> {
    const r = await this.db.get<UserRow>(`SELECT * FROM users WHERE name = ? AND ${PEOPLE}`, [name]);
    return r ? toUser(r) : null;
  }

  async getUsersByEmails(emails: readonly string[]): Promise<User[]> {
    const out: User[] = [];
    for (const { marks, params } of inChunks(emails.map((e) => e.toLowerCase()))) {
      out.push(
        ...(
          await this.db.all<UserRow>(
            `SELECT * FROM users WHERE lower(email) IN (${marks}) AND ${PEOPLE} ORDER BY id`,
            params,
          )
        ).map(toUser),
      );
    }
    return out;
  }

  async getUserById(id: number): Promise<User | null> {
    const r = await this.db.get<UserRow>(`SELECT * FROM users WHERE id = ? AND ${PEOPLE}`, [id]);
    return r ? toUser(r) : null;
  }

  async getUserWithValue(
    id: number,
    namespace: string,
    key: string,
    now: number,
  ): Promise<{ user: User; value: string | null } | null> {
    const r = await this.db.get<UserRow & { kv_value: string | null }>(
      `SELECT u.*, (SELECT value FROM kv WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)) AS kv_value
       FROM users u WHERE u.id = ? AND u.${PEOPLE}`,
      [namespace, key, now, id],
    );
    return r ? { user: toUser(r), value: r.kv_value } : null;
  }

  async listUsers(): Promise<User[]> {
    return (await this.db.all<UserRow>(`SELECT * FROM users WHERE ${PEOPLE} ORDER BY name`)).map(toUser);
  }

  async getResource(path: string): Promise<Resource | null> {
    const r = await this.db.get<ResourceRow>(RESOURCE_BY_PATH, [path]);
    return r ? toResource(r) : null;
  }

  async getResourceById(id: number): Promise<Resource | null> {
    const r = await this.db.get<ResourceRow>(RESOURCE_BY_ID, [id]);
    return r ? toResource(r) : null;
  }

  async listChildren(parentId: number): Promise<Resource[]> {
    const rows = await this.db.rows(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE parent_id = ? ORDER BY path`, [
      parentId,
    ]);
    return rows.map(toResourceFromArray);
  }

  async listChildrenPage(parentId: number, afterPath: string | null, limit: number): Promise<Resource[]> {
    const rows =
      afterPath === null
        ? await this.db.rows(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE parent_id = ? ORDER BY path LIMIT ?`, [
            parentId,
            limit,
          ])
        : await this.db.rows(
            `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE parent_id = ? AND path > ? ORDER BY path LIMIT ?`,
            [parentId, afterPath, limit],
          );
    return rows.map(toResourceFromArray);
  }

  async listDescendants(path: string): Promise<Resource[]> {
    const [lo, hi] = subtreeRange(path);
    const rows = await this.db.rows(
      `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE path >= ? AND path < ? ORDER BY path`,
      [lo, hi],
    );
    return rows.map(toResourceFromArray);
  }

  async readBody(id: number): Promise<Uint8Array> {
    const r = await this.db.get<{ body: Uint8Array | null }>('SELECT body FROM resources WHERE id = ?', [id]);
    if (!r) throw new StoreError('not-found', `no resource ${id}`);
    return r.body ?? new Uint8Array(0);
  }

  async readBodies(ids: readonly number[]): Promise<Map<number, Uint8Array>> {
    const out = new Map<number, Uint8Array>();
    for (const { marks, params } of inChunks(ids)) {
      const rows = await this.db.all<{ id: number; body: Uint8Array | null }>(
        `SELECT id, body FROM resources WHERE id IN (${marks})`,
        params,
      );
      for (const r of rows) out.set(Number(r.id), r.body ?? new Uint8Array(0));
    }
    return out;
  }

  async readEventIntervals(ids: readonly number[]): Promise<Map<number, StoredIntervals>> {
    const out = new Map<number, StoredIntervals>();
    for (const { marks, params } of inChunks(ids)) {
      const rows = await this.db.all<{
        id: number;
        etag: string;
        event_intervals: Uint8Array;
        event_intervals_until: number | null;
        series_text: string | null;
      }>(
        `SELECT id, etag, event_intervals, event_intervals_until, series_text FROM resources WHERE id IN (${marks}) AND event_intervals IS NOT NULL`,
        params,
      );
      for (const r of rows) {
        out.set(Number(r.id), {
          intervals: decodeIntervals(r.event_intervals),
          until: r.event_intervals_until === null ? null : Number(r.event_intervals_until),
          seriesText: r.series_text === null ? null : textOfVersion(r.series_text, r.etag),
        });
      }
    }
    return out;
  }

  async readExpandedTexts(ids: readonly number[]): Promise<Map<number, ExpandedText>> {
    const out = new Map<number, ExpandedText>();
    for (const { marks, params } of inChunks(ids)) {
      const rows = await this.db.rows(
        `SELECT id, etag, expanded_text FROM resources WHERE id IN (${marks}) AND expanded_text IS NOT NULL`,
        params,
      );
      for (const [id, etag, stored] of rows as [number, string, string][]) {
        const text = textOfVersion(stored, etag);
        if (text !== null) out.set(Number(id), { etag, text });
      }
    }
    return out;
  }

  /**
   * No ORDER BY in SQL: with one, SQLite answers from resources_parent(parent_id, path) to skip
   * a sort and reads every member of the collection (a UID lookup on each PUT became O(N)).
   * Without it, the UID lookup uses resources_uid and a range resources_range; the (small)
   * answer is sorted here, bytewise like the path index.
   */
  async queryObjects(collectionId: number, q: ObjectQuery): Promise<Resource[]> {
    // Only objects carry a UID (a collection's row is written without one), so a UID already
    // says `is_collection = 0`; written out as well, it made SQLite answer the UID lookup every
    // PUT makes from the covering resources_range, partial on that condition (migration 27),
    // reading every member of the collection instead of seeking resources_uid (parent_id, uid).
    const where = q.uid === undefined ? ['parent_id = ?', 'is_collection = 0'] : ['parent_id = ?'];
    const params: SqlValue[] = [collectionId];
    if (q.component !== undefined) {
      where.push('component = ?');
      params.push(q.component);
    }
    if (q.uid !== undefined) {
      where.push('uid = ?');
      params.push(q.uid);
    }
    const select = `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE ${where.join(' AND ')}`;
    if (q.rangeStart === undefined && q.rangeEnd === undefined) {
      return sortByPath((await this.db.rows(select, params)).map(toResourceFromArray));
    }
    // One bounded range scan of resources_range per span class (span-class.ts), and the objects
    // without a finite envelope; UNION ALL of disjoint legs, so no row comes twice.
    const legs: string[] = [];
    const legParams: SqlValue[] = [];
    const leg = (cond: string, values: SqlValue[]): void => {
      legs.push(`${select} AND ${cond}`);
      legParams.push(...params, ...values);
    };
    const { rangeStart: start, rangeEnd: end } = q;
    SPAN_LIMITS_MS.forEach((limit, k) => {
      const cond = [`span_class = ${k}`];
      const values: SqlValue[] = [];
      if (start !== undefined) {
        cond.push('first_start > ?', 'last_end > ?');
        values.push(start - limit, start);
      }
      if (end !== undefined) {
        cond.push('first_start < ?');
        values.push(end);
      }
      leg(cond.join(' AND '), values);
    });
    const unbounded = `span_class = ${UNBOUNDED_CLASS}`;
    const endCond = end === undefined ? '' : ' AND first_start < ?';
    const endValue: SqlValue[] = end === undefined ? [] : [end];
    if (start === undefined) leg(`${unbounded} AND first_start IS NOT NULL${endCond}`, endValue);
    else {
      leg(`${unbounded} AND last_end IS NULL AND first_start IS NOT NULL${endCond}`, endValue);
      leg(`${unbounded} AND last_end > ? AND first_start IS NOT NULL${endCond}`, [start, ...endValue]);
    }
    leg(
      `${unbounded} AND first_start IS NULL${start === undefined ? '' : ' AND (last_end IS NULL OR last_end > ?)'}`,
      start === undefined ? [] : [start],
    );
    const rows = await this.db.rows(legs.join(' UNION ALL '), legParams);
    return sortByPath(rows.map(toResourceFromArray));
  }

  async getResourcesByPaths(paths: readonly string[]): Promise<Resource[]> {
    const out: Resource[] = [];
    for (const { marks, params } of inChunks(paths)) {
      const rows = await this.db.rows(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE path IN (${marks})`, params);
      out.push(...rows.map(toResourceFromArray));
    }
    return sortByPath(out);
  }

  async getProperties(resourceId: number): Promise<DeadProperty[]> {
    return this.db.all<DeadProperty>(PROPERTIES_OF, [resourceId]);
  }

  async getPropertiesOf(resourceIds: readonly number[]): Promise<Map<number, DeadProperty[]>> {
    const out = new Map<number, DeadProperty[]>();
    for (const { marks, params } of inChunks(resourceIds)) {
      const rows = await this.db.all<DeadProperty & { resource_id: number }>(
        `SELECT resource_id, name, xml FROM properties WHERE resource_id IN (${marks}) ORDER BY resource_id, name`,
        params,
      );
      for (const { resource_id: id, name, xml } of rows) {
        let list = out.get(id);
        if (!list) out.set(id, (list = []));
        list.push({ name, xml });
      }
    }
    return out;
  }

  async locksCovering(path: string, now: number, parentToo = false): Promise<Lock[]> {
    const on = parentToo && path !== '/' ? [path, parentPath(path)] : [path];
    const anc = ancestors(path);
    const marks = (values: readonly string[]): string => values.map(() => '?').join(',');
    const sql = `SELECT * FROM locks WHERE expires_at > ? AND (path IN (${marks(on)})${
      anc.length === 0 ? '' : ` OR (depth = 'infinity' AND path IN (${marks(anc)}))`
    })`;
    const params = [now, ...on, ...anc];
    return (await this.db.all<LockRow>(sql, params)).map(toLock);
  }

  async locksWithin(path: string, now: number): Promise<Lock[]> {
    const [lo, hi] = subtreeRange(path);
    const rows = await this.db.all<LockRow>(
      'SELECT * FROM locks WHERE expires_at > ? AND (path = ? OR (path >= ? AND path < ?))',
      [now, path, lo, hi],
    );
    return rows.map(toLock);
  }

  async getLock(token: string, now: number): Promise<Lock | null> {
    const r = await this.db.get<LockRow>('SELECT * FROM locks WHERE token = ? AND expires_at > ?', [token, now]);
    return r ? toLock(r) : null;
  }

  async changesSince(collectionId: number, afterSeq: number, limit: number): Promise<Change[]> {
    const rows = await this.db.all<ChangeRow>(
      'SELECT * FROM changes WHERE collection_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      [collectionId, afterSeq, limit],
    );
    return rows.map(toChange);
  }

  async oldestSyncSeq(collectionId: number): Promise<number> {
    const r = await this.db.get<{ sync_floor: number }>('SELECT sync_floor FROM resources WHERE id = ?', [
      collectionId,
    ]);
    return r ? Number(r.sync_floor) : 0;
  }

  async searchObjects(collectionId: number, prop: string, match: SearchMatch, limit: number): Promise<Resource[]> {
    const ids = await cardSearch(this.db, collectionId, prop, match);
    const rows = await this.db.rows(
      `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE id IN (${ids.sql}) ORDER BY path LIMIT ?`,
      [...ids.params, limit],
    );
    return rows.map(toResourceFromArray);
  }

  async getSearchEntries(resourceId: number): Promise<SearchEntry[]> {
    return this.db.all<SearchEntry>(
      'SELECT prop, value_folded AS value FROM card_index WHERE resource_id = ? ORDER BY prop, value_folded',
      [resourceId],
    );
  }

  async getValue(namespace: string, key: string, now: number): Promise<string | null> {
    const r = await this.db.get<{ value: string }>(
      'SELECT value FROM kv WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)',
      [namespace, key, now],
    );
    return r ? r.value : null;
  }

  async getAuthFailures(subjects: readonly string[]): Promise<AuthFailures[]> {
    const out: AuthFailures[] = [];
    for (const { marks, params } of inChunks(subjects)) {
      const rows = await this.db.all<AuthFailureRow>(
        `SELECT * FROM auth_failures WHERE subject IN (${marks}) ORDER BY subject`,
        params,
      );
      out.push(...rows.map(toAuthFailures));
    }
    return out;
  }

  getSubscription(collectionId: number): Promise<CalendarSubscription | null> {
    return SUBSCRIPTIONS.get(this.db, collectionId);
  }

  listSubscriptions(ownerId: number): Promise<CalendarSubscription[]> {
    return SUBSCRIPTIONS.list(this.db, ownerId);
  }

  dueSubscriptions(now: number, limit: number): Promise<CalendarSubscription[]> {
    return SUBSCRIPTIONS.due(this.db, now, limit);
  }

  pendingItip(limit: number): Promise<OutboundItip[]> {
    return OUTBOUND_ITIP.pending(this.db, limit);
  }

  getItip(id: number): Promise<OutboundItip | null> {
    return OUTBOUND_ITIP.get(this.db, id);
  }

  getPushRegistration(id: string): Promise<PushRegistration | null> {
    return PUSH.get(this.db, id);
  }

  countPushRegistrations(userId: number, now: number): Promise<number> {
    return PUSH.count(this.db, userId, now);
  }

  listPushRegistrations(userId: number, now: number): Promise<PushRegistration[]> {
    return PUSH.list(this.db, userId, now);
  }

  pushTargets(job: PushJob, now: number): Promise<PushRegistration[]> {
    return PUSH.targets(this.db, job, now);
  }

  pushRegistrationsUnder(path: string, now: number): Promise<PushRegistration[]> {
    return PUSH.under(this.db, path, now);
  }

  browserSubscriptions(userId: number): Promise<BrowserSubscription[]> {
    return PUSH_MESSAGES.subscriptions(this.db, userId);
  }

  browserPushUserIds(limit: number): Promise<number[]> {
    return PUSH_MESSAGES.userIds(this.db, limit);
  }

  async getSyncDevice(userId: number, deviceId: string): Promise<SyncDevice | null> {
    const r = await this.db.get<SyncDeviceRow>('SELECT * FROM syncml_devices WHERE user_id = ? AND device_id = ?', [
      userId,
      deviceId,
    ]);
    return r ? toSyncDevice(r) : null;
  }

  async listSyncDevices(userId: number): Promise<SyncDevice[]> {
    return (
      await this.db.all<SyncDeviceRow>('SELECT * FROM syncml_devices WHERE user_id = ? ORDER BY device_id', [userId])
    ).map(toSyncDevice);
  }

  async listSyncAnchors(userId: number, deviceId: string): Promise<SyncAnchor[]> {
    const rows = await this.db.all<SyncAnchorRow>(
      'SELECT * FROM syncml_anchors WHERE user_id = ? AND device_id = ? ORDER BY datastore',
      [userId, deviceId],
    );
    return rows.map((r) => ({
      userId: Number(r.user_id),
      deviceId: r.device_id,
      datastore: r.datastore,
      clientAnchor: r.client_anchor,
      serverAnchor: r.server_anchor,
      serverSeq: Number(r.server_seq),
      lastMode: r.last_mode === null ? null : Number(r.last_mode),
      lastSyncAt: Number(r.last_sync_at),
    }));
  }

  async listSyncIdMap(userId: number, deviceId: string, datastore: string): Promise<SyncIdMapEntry[]> {
    return this.db.all<SyncIdMapEntry>(
      'SELECT guid, luid FROM syncml_idmap WHERE user_id = ? AND device_id = ? AND datastore = ? ORDER BY guid',
      [userId, deviceId, datastore],
    );
  }

  getAces(path: string): Promise<StoredAce[]> {
    return ACL.getAces(this.db, path);
  }

  /** Stored ACEs, then what accepted shares grant: one statement (store/sql/grants.ts). */
  grantsFor(userId: number): Promise<GrantRow[]> {
    return grantsFor(this.db, userId);
  }

  sharesOf(collectionId: number): Promise<Share[]> {
    return SHARES.of(this.db, 'collection_id', collectionId);
  }

  sharesFor(shareeId: number): Promise<Share[]> {
    return SHARES.of(this.db, 'sharee_id', shareeId);
  }

  async shareByInstance(instancePath: string): Promise<Share | null> {
    const share = await SHARES.one(this.db, 'instance_path', instancePath);
    return share?.status === 'accepted' ? share : null;
  }

  shareByInvite(inviteUid: string): Promise<Share | null> {
    return SHARES.one(this.db, 'invite_uid', inviteUid);
  }

  shareById(id: number): Promise<Share | null> {
    return SHARES.one(this.db, 'id', id);
  }

  groupSharesOf(collectionId: number): Promise<GroupShare[]> {
    return GROUP_SHARES.of(this.db, 'collection_id', collectionId);
  }

  async sharedCollections(collectionIds: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (const { marks, params } of inChunks(collectionIds)) {
      const rows = await this.db.all<{ collection_id: number | string }>(
        `SELECT collection_id FROM shares WHERE collection_id IN (${marks})
         UNION SELECT collection_id FROM group_shares WHERE collection_id IN (${marks})`,
        [...params, ...params],
      );
      for (const r of rows) out.add(Number(r.collection_id));
    }
    return out;
  }

  groupSharesOfGroup(groupId: number): Promise<GroupShare[]> {
    return GROUP_SHARES.of(this.db, 'group_id', groupId);
  }

  perUserDataOf(resourceId: number): Promise<PerUserEntry[]> {
    return PER_USER.of(this.db, resourceId);
  }

  async perUserDataFor(userId: number, resourceIds: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const { marks, params } of inChunks(resourceIds)) await PER_USER.forChunk(this.db, userId, marks, params, out);
    return out;
  }

  getGroupByName(name: string): Promise<Group | null> {
    return ACL.group(this.db, 'name', name);
  }

  getGroupById(id: number): Promise<Group | null> {
    return ACL.group(this.db, 'id', id);
  }

  getOwnedGroup(ownerId: number, role: string): Promise<Group | null> {
    return ACL.ownedGroup(this.db, ownerId, role);
  }

  listGroups(): Promise<Group[]> {
    return ACL.listGroups(this.db);
  }

  groupMembers(groupId: number): Promise<User[]> {
    return ACL.groupMembers(this.db, groupId);
  }

  groupsOf(userId: number): Promise<Group[]> {
    return ACL.groupsOf(this.db, userId);
  }

  getAppPassword(id: string): Promise<AppPassword | null> {
    return APP_PASSWORDS.get(this.db, id);
  }

  listAppPasswords(userId: number): Promise<AppPassword[]> {
    return APP_PASSWORDS.list(this.db, userId);
  }
}

interface SyncDeviceRow {
  user_id: number;
  device_id: string;
  info: string;
  created_at: number;
  last_sync_at: number | null;
}
interface SyncAnchorRow {
  user_id: number;
  device_id: string;
  datastore: string;
  client_anchor: string | null;
  server_anchor: string | null;
  server_seq: number;
  last_mode: number | null;
  last_sync_at: number;
}
interface AuthFailureRow {
  subject: string;
  failures: number | string;
  last_failure_at: number | string;
}

function toAuthFailures(r: AuthFailureRow): AuthFailures {
  return { subject: r.subject, failures: Number(r.failures), lastFailureAt: Number(r.last_failure_at) };
}

function toSyncDevice(r: SyncDeviceRow): SyncDevice {
  return {
    userId: Number(r.user_id),
    deviceId: r.device_id,
    info: r.info,
    createdAt: Number(r.created_at),
    lastSyncAt: r.last_sync_at === null ? null : Number(r.last_sync_at),
  };
}

/** Mutations; every member write records its change in the parent collection's feed. */

class SqlTx extends SqlReader implements StoreTx {
  protected override readonly db: MemoTxConn;
  /** The changes held for the end of the transaction, once `recordChangesAtEnd` was called. */
  private heldChanges: FeedEntry[] | null = null;

  constructor(conn: SqlTxConn) {
    const db = withTxReadMemo(conn, KEPT_IN_TX);
    super(db);
    this.db = db;
  }

  /**
   * A member's row and its parent's in one query, both kept for the transaction: a write reads
   * its target and then the collection it goes into (issue #20: one round trip less under the
   * home's lock on PostgreSQL).
   */
  override async getResource(path: string): Promise<Resource | null> {
    const parent = parentPath(path);
    if (path === '/' || this.db.known(RESOURCE_BY_PATH, [path]) || this.db.known(RESOURCE_BY_PATH, [parent]))
      return super.getResource(path);
    const rows = await this.db.all<ResourceRow>(RESOURCE_AND_PARENT_BY_PATH, [path, parent]);
    for (const p of [path, parent])
      this.db.remember(
        RESOURCE_BY_PATH,
        [p],
        rows.find((r) => r.path === p),
      );
    return super.getResource(path);
  }

  recordChangesAtEnd(): void {
    this.heldChanges ??= [];
  }

  /** Record the changes held for the end (SqlStore.transaction calls it after the caller's work). */
  async recordHeldChanges(): Promise<void> {
    const held = this.heldChanges;
    this.heldChanges = null;
    if (held && held.length > 0) await CHANGE_FEED.recordBatch(this.db, held);
  }

  lockMemberUids(collectionPath: string, uids: readonly string[]): Promise<boolean> {
    // The path cannot hold a NUL, so no two (collection, UID) pairs give one key.
    return this.db.lock(uids.map((uid) => `member-uid:${collectionPath}\u0000${uid}`));
  }

  lockSchedulingObjects(uids: readonly string[]): Promise<boolean> {
    // A prefix keeps UIDs apart from any other key locked this way.
    return this.db.lock(uids.map((uid) => `scheduling-uid:${uid}`));
  }

  putShare(share: NewShare): Promise<Share> {
    return SHARES.put(this.db, share, Date.now());
  }

  putPerUserData(resourceId: number, userId: number, ical: string | null): Promise<void> {
    return PER_USER.put(this.db, resourceId, userId, ical);
  }

  async updateShare(id: number, update: ShareUpdate): Promise<Share> {
    const before = await SHARES.one(this.db, 'id', id);
    const share = await SHARES.update(this.db, id, update);
    if (!share) throw new StoreError('not-found', `no share ${id}`);
    await this.recordInstance(before, share, update.properties !== undefined);
    return share;
  }

  putGroupShare(share: NewGroupShare): Promise<GroupShare> {
    return GROUP_SHARES.put(this.db, share, Date.now());
  }

  deleteGroupShare(id: number): Promise<void> {
    return GROUP_SHARES.delete(this.db, id);
  }

  async deleteShare(id: number): Promise<void> {
    const before = await SHARES.one(this.db, 'id', id);
    await SHARES.delete(this.db, id);
    await this.recordInstance(before, null, false);
  }

  /**
   * A sharee's instance is a member of their home (RFC 6578 §3.5.1): its appearing (accepted),
   * going (declined, removed, the shared collection deleted) and its per-user properties
   * changing are recorded in the home's feed, like a collection of their own.
   */
  private async recordInstance(before: Share | null, after: Share | null, propertiesChanged: boolean): Promise<void> {
    const was = before?.status === 'accepted' ? before.instancePath : null;
    const is = after?.status === 'accepted' ? after.instancePath : null;
    if (was !== null && was !== is) await this.recordInHome(was, 'delete', Date.now());
    if (is !== null && (is !== was || propertiesChanged)) await this.recordInHome(is, 'put', Date.now());
  }

  /** A change of the instance at `instancePath` in its home's feed; nothing when the home is gone. */
  private async recordInHome(instancePath: string, op: Change['op'], now: number): Promise<void> {
    const home = await this.getResource(parentPath(instancePath));
    if (home) await this.recordChange(home.id, memberName(instancePath, true), op, null, now);
  }

  setAces(resourceId: number, aces: readonly StoredAce[]): Promise<void> {
    return ACL.setAces(this.db, resourceId, aces);
  }

  async createGroup(name: string): Promise<Group> {
    if (await this.getGroupByName(name)) throw new StoreError('exists', `group ${name} exists`);
    return ACL.createGroup(this.db, name);
  }

  async ensureOwnedGroup(owner: { readonly id: number; readonly name: string }, role: string): Promise<Group> {
    return (
      (await ACL.ownedGroup(this.db, owner.id, role)) ??
      ACL.createGroup(this.db, `${owner.name}/${role}`, { ownerId: owner.id, role })
    );
  }

  deleteGroup(id: number): Promise<void> {
    return ACL.deleteGroup(this.db, id);
  }

  addGroupMember(groupId: number, userId: number): Promise<void> {
    return ACL.addGroupMember(this.db, groupId, userId);
  }

  removeGroupMember(groupId: number, userId: number): Promise<void> {
    return ACL.removeGroupMember(this.db, groupId, userId);
  }

  createAppPassword(p: {
    id: string;
    userId: number;
    name: string;
    scopes: readonly AppPasswordScope[];
    secretHash: string;
  }): Promise<AppPassword> {
    return APP_PASSWORDS.create(this.db, p);
  }

  deleteAppPassword(userId: number, id: string): Promise<boolean> {
    return APP_PASSWORDS.delete(this.db, userId, id);
  }

  touchAppPassword(id: string, at: number, notBefore: number): Promise<void> {
    return APP_PASSWORDS.touch(this.db, id, at, notBefore);
  }

  async createUser(user: NewUser): Promise<User> {
    if (await this.getUserByName(user.name)) throw new StoreError('exists', `user ${user.name} exists`);
    const r = await this.db.get<UserRow>(
      `INSERT INTO users (name, email, display_name, password_hash, created_at, directory, is_admin)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        user.name,
        user.email ?? null,
        user.displayName ?? null,
        user.passwordHash,
        Date.now(),
        user.directory ?? null,
        user.isAdmin === true ? 1 : 0,
      ],
    );
    if (!r) throw new Error('insert returned no row');
    return toUser(r);
  }

  async systemAccountId(): Promise<number> {
    const found = await this.db.get<{ id: number }>('SELECT id FROM users WHERE is_system = 1');
    if (found) return Number(found.id);
    const r = await this.db.get<{ id: number }>(
      `INSERT INTO users (name, password_hash, created_at, is_system) VALUES (?, ?, ?, 1) RETURNING id`,
      [SYSTEM_ACCOUNT_NAME, '!', Date.now()],
    );
    if (!r) throw new Error('insert returned no row');
    return Number(r.id);
  }

  async updateUser(
    id: number,
    changes: Partial<
      Pick<User, 'passwordHash' | 'email' | 'displayName' | 'directory' | 'totpSecret' | 'isAdmin' | 'quotaBytes'>
    >,
  ): Promise<void> {
    const cols: Record<string, string | number | null | undefined> = {
      is_admin: changes.isAdmin === undefined ? undefined : changes.isAdmin ? 1 : 0,
      quota_bytes: changes.quotaBytes,
      password_hash: changes.passwordHash,
      email: changes.email,
      display_name: changes.displayName,
      directory: changes.directory,
      totp_secret: changes.totpSecret,
    };
    for (const [col, value] of Object.entries(cols)) {
      if (value !== undefined) await this.db.run(`UPDATE users SET ${col} = ? WHERE id = ?`, [value, id]);
    }
  }

  async deleteUser(id: number): Promise<void> {
    // Delete each owned resource like a DELETE would: with its whole subtree (a member cannot
    // outlive its collection), the locks on it, and a delete in the feed of a surviving parent.
    // Path order visits a collection before its members, so a member already gone is skipped.
    const owned = await this.db.all<{ path: string }>('SELECT path FROM resources WHERE owner_id = ? ORDER BY path', [
      id,
    ]);
    for (const { path } of owned) {
      if (await this.getResource(path)) await this.deleteResource(path);
    }
    await this.db.run('DELETE FROM locks WHERE principal_id = ?', [id]);
    await ACL.forgetUser(this.db, id);
    await APP_PASSWORDS.forgetUser(this.db, id);
    await this.db.run('DELETE FROM shares WHERE sharee_id = ?', [id]);
    await this.db.run('DELETE FROM per_user_data WHERE user_id = ?', [id]);
    await this.db.run('DELETE FROM users WHERE id = ?', [id]);
  }

  /**
   * Delete one resource's row and everything kept by its id. Only a collection can be shared (its
   * sharees' instances are recorded gone first); the rest is deferred (SqlTxConn.defer: issue #20,
   * on PostgreSQL eight statements sent together under the home's lock, not eight round trips).
   */
  private async deleteRow(r: Resource): Promise<void> {
    if (r.isCollection)
      for (const share of await SHARES.of(this.db, 'collection_id', r.id))
        await this.recordInstance(share, null, false);
    for (const sql of ROW_DELETES) this.db.defer(sql, [r.id]);
  }

  /** Record a change (change-feed.ts), and in the homes of a shared collection's sharees. */
  private async recordChange(
    collectionId: number,
    name: string,
    op: Change['op'],
    origin: string | null,
    now: number,
    /** The sharees' instances of the collection, when the caller read them already. */
    instances?: readonly string[],
  ): Promise<void> {
    // A shared collection's entity tag is its sharees' instances' too: their homes record it changed.
    for (const instancePath of instances ?? (await SHARES.instancesOf(this.db, collectionId)))
      await this.recordInHome(instancePath, 'put', now);
    const entry = { collectionId, name, op, origin, now };
    if (this.heldChanges) this.heldChanges.push(entry);
    else await CHANGE_FEED.record(this.db, entry);
  }

  private async parentOf(path: string): Promise<Resource> {
    const parent = await this.getResource(parentPath(path));
    if (!parent) throw new StoreError('conflict', `parent of ${path} does not exist`);
    if (!parent.isCollection) throw new StoreError('conflict', `parent of ${path} is not a collection`);
    return parent;
  }

  async createCollection(path: string, options: CreateCollectionOptions): Promise<Resource> {
    if (await this.getResource(path)) throw new StoreError('exists', `${path} exists`);
    const parent = options.home ? null : await this.parentOf(path);
    const now = Date.now();
    const r = await this.db.get<ResourceRow>(
      `INSERT INTO resources (path, parent_id, is_collection, collection_type, owner_id, etag, created_at, modified_at, derived)
       VALUES (?, ?, 1, ?, ?, '', ?, ?, ?) RETURNING ${RESOURCE_COLUMNS}`,
      [
        path,
        parent?.id ?? null,
        options.collectionType ?? '',
        options.ownerId,
        now,
        now,
        options.derived ?? parent?.derived ?? null,
      ],
    );
    if (!r) throw new Error('insert returned no row');
    if (parent) await this.recordChange(parent.id, memberName(path, true), 'put', options.origin ?? null, now);
    return toResource(r);
  }

  async putObject(path: string, o: PutOptions): Promise<PutResult> {
    const parent = await this.parentOf(path);
    const existing = await this.getResource(path);
    if (existing?.isCollection) throw new StoreError('conflict', `${path} is a collection`);
    const now = Date.now();
    const ix = o.index ?? {};
    const values = [
      o.contentType,
      o.body.byteLength,
      o.etag,
      now,
      ix.uid ?? null,
      ix.component ?? null,
      ix.firstStart ?? null,
      ix.lastEnd ?? null,
      ix.spanExact === true ? 1 : 0,
      spanClassOf(ix.firstStart ?? null, ix.lastEnd ?? null),
      ix.eventIntervals ? encodeIntervals(ix.eventIntervals) : null,
      ix.eventIntervals ? (ix.eventIntervalsUntil ?? null) : null,
      ix.eventIntervals && ix.seriesText ? versionedText(o.etag, ix.seriesText) : null,
      ix.expandedText ? versionedText(o.etag, ix.expandedText) : null,
      o.body,
    ];
    // The sharees' instances are read with the row's write, not after it (issue #20: one round
    // trip on PostgreSQL, not two), and before the rows every write holds (see below).
    const instances = SHARES.instancesOf(this.db, parent.id);
    instances.catch(() => undefined); // the write's own failure is the one reported
    const parentRow = this.db.held(RESOURCE_BY_PATH, [parent.path]);
    let row: ResourceRow | undefined;
    if (existing) {
      row = await this.db.get<ResourceRow>(REPLACE_OBJECT, [...values, existing.id]);
    } else {
      row = await this.db.get<ResourceRow>(INSERT_OBJECT, [...values, path, parent.id, o.ownerId, now, parent.derived]);
    }
    if (!row) throw new Error('write returned no row');
    // The write changed the member's row and no other (no trigger writes resources): its parent's
    // row as read, and the member's as returned, stay kept for the transaction's next read
    // (issue #20: an import's next object reads neither again, while its transaction holds the
    // feed's bumps for its end; otherwise the bump below forgets them).
    if (parentRow !== undefined) this.db.remember(RESOURCE_BY_PATH, [parent.path], parentRow);
    this.db.remember(RESOURCE_BY_PATH, [path], row);
    this.replaceSearchEntries(existing, Number(row.id), parent.id, ix.search ?? []);
    // Last, the rows every write of the owner and of the collection updates (quota, sync
    // sequence): on PostgreSQL each is held from here to commit, and writes of other members
    // of the area wait for them (issue #20; domain/objects/lock-keys.ts memberLocks). The
    // sharees' instances were read before, so that no read is waited for under them.
    const shared = await instances;
    QUOTA_USAGE.chargePut(this.db, existing, o.ownerId, o.body.byteLength);
    await this.recordChange(parent.id, baseName(path), 'put', o.origin ?? null, now, shared);
    return { resource: toResource(row), created: !existing };
  }

  /**
   * A card's search entries in place of those of the object it replaces, up to SEARCH_ROWS per
   * INSERT, deferred (issue #20: one statement per
   * entry was six to ten round trips of a contact PUT on PostgreSQL, under the home's lock; now
   * none is waited for). At most SEARCH_ROWS statement texts, whatever the entry counts.
   */
  private replaceSearchEntries(
    existing: Resource | null,
    resourceId: number,
    collectionId: number,
    entries: readonly { readonly prop: string; readonly value: string }[],
  ): void {
    // Only a card has search entries (the contacts write path gives them; a MOVE keeps them):
    // a calendar object replaced (component VEVENT, VTODO, …) has none to drop.
    if (existing && (existing.component === null || existing.component === 'VCARD'))
      this.db.defer('DELETE FROM card_index WHERE resource_id = ?', [existing.id]);
    for (let i = 0; i < entries.length; i += SEARCH_ROWS) {
      const chunk = entries.slice(i, i + SEARCH_ROWS);
      this.db.defer(
        `INSERT INTO card_index (resource_id, collection_id, prop, value_folded) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((e) => [resourceId, collectionId, e.prop, e.value]),
      );
    }
  }

  async deleteResource(path: string, origin: string | null = null): Promise<void> {
    const target = await this.getResource(path);
    if (!target) throw new StoreError('not-found', `${path} does not exist`);
    // The parent's sharees' instances are read with the other reads, not under the rows every
    // write holds to commit (as putObject does; issue #20).
    const instances = target.parentId === null ? null : SHARES.instancesOf(this.db, target.parentId);
    instances?.catch(() => undefined); // the delete's own failure is the one reported
    const use = await QUOTA_USAGE.subtreeUse(this.db, path);
    // An object has nothing below it (only a collection is a parent: parentOf).
    const below = target.isCollection ? await this.listDescendants(path) : [];
    for (const r of below.reverse()) await this.deleteRow(r);
    await this.deleteRow(target);
    const [lo, hi] = subtreeRange(path);
    this.db.defer('DELETE FROM locks WHERE path = ? OR (path >= ? AND path < ?)', [path, lo, hi]);
    // Last, the rows every write of the owner and of the collection updates (quota, sync sequence).
    QUOTA_USAGE.free(this.db, use);
    if (target.parentId !== null)
      await this.recordChange(
        target.parentId,
        memberName(path, target.isCollection),
        'delete',
        origin,
        Date.now(),
        (await instances) ?? undefined,
      );
  }

  async moveResource(from: string, to: string, origin: string | null = null): Promise<Resource> {
    const source = await this.getResource(from);
    if (!source) throw new StoreError('not-found', `${from} does not exist`);
    if (await this.getResource(to)) throw new StoreError('exists', `${to} exists`);
    if (to.startsWith(`${from}/`)) throw new StoreError('conflict', `cannot move ${from} into itself`);
    const newParent = await this.parentOf(to);
    const now = Date.now();
    const [lo, hi] = subtreeRange(from);
    // Children first would collide on nothing (the target subtree is empty); rewrite prefixes.
    await this.db.run('UPDATE resources SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?', [
      to,
      from.length + 1,
      lo,
      hi,
    ]);
    await this.db.run('UPDATE resources SET path = ?, parent_id = ?, modified_at = ? WHERE id = ?', [
      to,
      newParent.id,
      now,
      source.id,
    ]);
    await this.db.run('UPDATE card_index SET collection_id = ? WHERE resource_id = ?', [newParent.id, source.id]);
    await this.db.run('DELETE FROM locks WHERE path = ? OR (path >= ? AND path < ?)', [from, lo, hi]);
    if (source.parentId !== null)
      await this.recordChange(source.parentId, memberName(from, source.isCollection), 'delete', origin, now);
    await this.recordChange(newParent.id, memberName(to, source.isCollection), 'put', origin, now);
    const moved = await this.getResourceById(source.id);
    if (!moved) throw new Error('moved resource vanished');
    return moved;
  }

  async setCollectionType(id: number, type: Resource['collectionType']): Promise<void> {
    await this.db.run(
      'UPDATE resources SET meta_seq = meta_seq + 1, collection_type = CASE WHEN id = ? THEN ? ELSE collection_type END WHERE id = ? OR id = (SELECT parent_id FROM resources WHERE id = ?)',
      [id, type, id, id],
    );
  }

  async patchProperties(resourceId: number, set: readonly DeadProperty[], remove: readonly string[]): Promise<void> {
    // What the resource is, read with the quota's reads (below: a collection's change is recorded in its home).
    const read = this.db.get<{ is_collection: number; parent_id: number | null; path: string }>(
      'SELECT is_collection, parent_id, path FROM resources WHERE id = ?',
      [resourceId],
    );
    read.catch(() => undefined); // awaited below; the patch's own failure is the one reported
    await QUOTA_USAGE.patchProperties(this.db, resourceId, set, remove);
    // The resource's and its parent collection's metadata state (Resource.metaSeq), and the
    // properties: deferred, one message with what follows on PostgreSQL (issue #20).
    this.db.defer(
      'UPDATE resources SET meta_seq = meta_seq + 1 WHERE id = ? OR id = (SELECT parent_id FROM resources WHERE id = ?)',
      [resourceId, resourceId],
    );
    for (const name of remove)
      this.db.defer('DELETE FROM properties WHERE resource_id = ? AND name = ?', [resourceId, name]);
    for (const p of set) {
      this.db.defer(
        'INSERT INTO properties (resource_id, name, xml) VALUES (?, ?, ?) ON CONFLICT (resource_id, name) DO UPDATE SET xml = excluded.xml',
        [resourceId, p.name, p.xml],
      );
    }
    // A calendar or address book renamed or recoloured is reported as changed by a sync of its
    // home (RFC 6578 §3.5.1 allows it; iOS and macOS learn of such edits this way).
    const r = await read;
    if (r && Number(r.is_collection) === 1 && r.parent_id !== null) {
      await this.recordChange(Number(r.parent_id), memberName(r.path, true), 'put', null, Date.now());
    }
  }

  async createLock(l: Lock): Promise<void> {
    await this.db.run(
      `INSERT INTO locks (token, path, depth, scope, owner_xml, principal_id, timeout_seconds, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        l.token,
        l.path,
        String(l.depth),
        l.scope,
        l.ownerXml,
        l.principalId,
        l.timeoutSeconds,
        l.expiresAt,
        l.createdAt,
      ],
    );
  }

  async refreshLock(token: string, timeoutSeconds: number | null, expiresAt: number): Promise<void> {
    await this.db.run('UPDATE locks SET timeout_seconds = ?, expires_at = ? WHERE token = ?', [
      timeoutSeconds,
      expiresAt,
      token,
    ]);
  }

  async deleteLock(token: string): Promise<void> {
    await this.db.run('DELETE FROM locks WHERE token = ?', [token]);
  }

  async compactChanges(collectionId: number, keepAfterSeq: number): Promise<void> {
    await CHANGE_FEED.compact(this.db, collectionId, keepAfterSeq);
  }

  // A value's write and delete are deferred (SqlTxConn.defer): nothing waits for them, so on
  // PostgreSQL an object write that sets or drops its Schedule-Tag costs no round trip for it
  // (issue #20). Later statements of the transaction see them; a failure fails the transaction.
  async setValue(namespace: string, key: string, value: string, expiresAt: number | null): Promise<void> {
    this.db.defer(
      `INSERT INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [namespace, key, value, expiresAt],
    );
  }

  async deleteValue(namespace: string, key: string): Promise<void> {
    this.db.defer('DELETE FROM kv WHERE namespace = ? AND key = ?', [namespace, key]);
  }

  async recordAuthFailure(subject: string, now: number, forgetBefore: number): Promise<AuthFailures> {
    const r = await this.db.get<AuthFailureRow>(
      `INSERT INTO auth_failures (subject, failures, last_failure_at) VALUES (?, 1, ?)
       ON CONFLICT (subject) DO UPDATE SET
         failures = CASE WHEN auth_failures.last_failure_at < ? THEN 1 ELSE auth_failures.failures + 1 END,
         last_failure_at = excluded.last_failure_at
       RETURNING *`,
      [subject, now, forgetBefore],
    );
    if (!r) throw new Error('upsert returned no row');
    return toAuthFailures(r);
  }

  async clearAuthFailures(subject: string): Promise<void> {
    await this.db.run('DELETE FROM auth_failures WHERE subject = ?', [subject]);
  }

  async pruneAuthFailures(before: number): Promise<number> {
    return this.db.run('DELETE FROM auth_failures WHERE last_failure_at < ?', [before]);
  }

  putSubscription(sub: CalendarSubscription): Promise<void> {
    return SUBSCRIPTIONS.put(this.db, sub);
  }

  leaseSubscription(collectionId: number, holder: string, now: number, until: number): Promise<boolean> {
    return SUBSCRIPTIONS.lease(this.db, collectionId, holder, now, until);
  }

  releaseSubscription(collectionId: number, holder: string): Promise<void> {
    return SUBSCRIPTIONS.release(this.db, collectionId, holder);
  }

  enqueueItip(message: NewOutboundItip): Promise<number> {
    return OUTBOUND_ITIP.enqueue(this.db, message);
  }

  claimItip(holder: string, now: number, until: number, limit: number): Promise<OutboundItip[]> {
    return OUTBOUND_ITIP.claim(this.db, this.db.skipLocked, { holder, now, until, limit });
  }

  markItip(id: number, result: OutboundItipResult, now: number): Promise<void> {
    return OUTBOUND_ITIP.mark(this.db, id, result, now);
  }

  putPushRegistration(r: NewPushRegistration): Promise<{ id: string; created: boolean }> {
    return PUSH.put(this.db, r);
  }

  deletePushRegistration(id: string): Promise<boolean> {
    return PUSH.delete(this.db, id);
  }

  deleteExpiredPushRegistrations(now: number): Promise<number> {
    return PUSH.deleteExpired(this.db, now);
  }

  markPushRegistration(id: string, outcome: PushOutcome): Promise<void> {
    return PUSH.mark(this.db, id, outcome);
  }

  enqueuePush(
    changes: readonly PushChange[],
    dontNotify: readonly string[],
    userId: number | null,
    now: number,
  ): Promise<number> {
    return PUSH.enqueue(this.db, changes, dontNotify, userId, now);
  }

  enqueuePushRetry(collectionId: number, registrationId: string, dueAt: number): Promise<void> {
    return PUSH.enqueueRetry(this.db, collectionId, registrationId, dueAt);
  }

  claimPushJobs(holder: string, now: number, until: number, limit: number): Promise<PushJob[]> {
    return PUSH.claim(this.db, holder, now, until, limit);
  }

  finishPushJob(id: number, holder: string): Promise<void> {
    return PUSH.finish(this.db, id, holder);
  }

  putBrowserSubscription(s: BrowserSubscription): Promise<{ id: string; created: boolean }> {
    return PUSH_MESSAGES.putSubscription(this.db, s);
  }

  deleteBrowserSubscription(id: string, userId: number | null): Promise<boolean> {
    return PUSH_MESSAGES.deleteSubscription(this.db, id, userId);
  }

  queuePushMessages(messages: readonly NewOutboxMessage[], now: number): Promise<number> {
    return PUSH_MESSAGES.queue(this.db, messages, now);
  }

  queueUserNotification(userId: number, n: UserNotification, now: number): Promise<number> {
    return PUSH_MESSAGES.queueForUser(this.db, userId, n, now);
  }

  claimPushMessages(holder: string, now: number, until: number, limit: number): Promise<OutboxMessage[]> {
    return PUSH_MESSAGES.claim(this.db, holder, now, until, limit);
  }

  finishPushMessage(id: number, holder: string): Promise<void> {
    return PUSH_MESSAGES.finish(this.db, id, holder);
  }

  retryPushMessage(id: number, holder: string, dueAt: number): Promise<void> {
    return PUSH_MESSAGES.retry(this.db, id, holder, dueAt);
  }

  claimAlarmNotice(userId: number, key: string, firesAt: number): Promise<boolean> {
    return PUSH_MESSAGES.claimAlarm(this.db, userId, key, firesAt);
  }

  pruneAlarmNotices(before: number): Promise<number> {
    return PUSH_MESSAGES.pruneAlarms(this.db, before);
  }

  async putSyncDevice(d: SyncDevice): Promise<void> {
    await this.db.run(
      `INSERT INTO syncml_devices (user_id, device_id, info, created_at, last_sync_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, device_id) DO UPDATE SET info = excluded.info, last_sync_at = excluded.last_sync_at`,
      [d.userId, d.deviceId, d.info, d.createdAt, d.lastSyncAt],
    );
  }

  async putSyncAnchor(a: SyncAnchor): Promise<void> {
    await this.db.run(
      `INSERT INTO syncml_anchors (user_id, device_id, datastore, client_anchor, server_anchor, server_seq, last_mode, last_sync_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, device_id, datastore) DO UPDATE SET
       client_anchor = excluded.client_anchor, server_anchor = excluded.server_anchor, server_seq = excluded.server_seq,
       last_mode = excluded.last_mode, last_sync_at = excluded.last_sync_at`,
      [a.userId, a.deviceId, a.datastore, a.clientAnchor, a.serverAnchor, a.serverSeq, a.lastMode, a.lastSyncAt],
    );
  }

  async deleteSyncAnchors(userId: number, deviceId: string, datastore?: string): Promise<void> {
    if (datastore === undefined)
      await this.db.run('DELETE FROM syncml_anchors WHERE user_id = ? AND device_id = ?', [userId, deviceId]);
    else
      await this.db.run('DELETE FROM syncml_anchors WHERE user_id = ? AND device_id = ? AND datastore = ?', [
        userId,
        deviceId,
        datastore,
      ]);
  }

  async putSyncIdMap(userId: number, deviceId: string, datastore: string, e: SyncIdMapEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO syncml_idmap (user_id, device_id, datastore, guid, luid) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, device_id, datastore, guid) DO UPDATE SET luid = excluded.luid`,
      [userId, deviceId, datastore, e.guid, e.luid],
    );
  }

  async deleteSyncIdMap(userId: number, deviceId: string, datastore: string, guid?: string): Promise<void> {
    if (guid === undefined)
      await this.db.run('DELETE FROM syncml_idmap WHERE user_id = ? AND device_id = ? AND datastore = ?', [
        userId,
        deviceId,
        datastore,
      ]);
    else
      await this.db.run('DELETE FROM syncml_idmap WHERE user_id = ? AND device_id = ? AND datastore = ? AND guid = ?', [
        userId,
        deviceId,
        datastore,
        guid,
      ]);
  }
}

/** A Store over any SQL driver: SQLite and PostgreSQL share every query. */

export class SqlStore extends SqlReader implements Store {
  constructor(private readonly driver: SqlDriver) {
    super(driver.reader);
  }

  now(): number {
    return Date.now() + (this.driver.clockOffsetMs?.() ?? 0);
  }

  transaction<T>(locks: TxLocks, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.driver.transaction(locks, async (conn) => {
      const tx = new SqlTx(conn);
      const result = await fn(tx);
      await tx.recordHeldChanges();
      return result;
    });
  }

  storeStats(): Promise<StoreStats> {
    return STATS.store(this.driver.reader);
  }

  countValues(namespace: string, now: number): Promise<number> {
    return STATS.values(this.driver.reader, namespace, now);
  }

  /**
   * The cursor is `version:rowid` — the other-process commit version and the last change row
   * seen. The last row is read before the version: a commit landing between the two reads moves
   * the version, so its rows are found on the next call. Rows are found by rowid (SQLite gives a
   * new row a rowid above every present one); they are read only when the version moved. One
   * gap is known: if the newest change rows are deleted (a user deleted) and another process
   * writes before the next call, the new rows may reuse rowids already seen and go unreported;
   * a browser then catches up on its next notice for that collection or its next reconnect.
   */
  async foreignChanges(cursor: string | null): Promise<ForeignChanges> {
    const version = this.driver.foreignCommitVersion;
    if (!version) return { cursor: cursor ?? '', collections: [] };
    const last = (await this.db.get<{ n: number | null }>('SELECT max(rowid) AS n FROM changes'))?.n ?? 0;
    const v = version();
    const [seenVersion, seenRow] = (cursor ?? '').split(':').map(Number);
    if (
      cursor === null ||
      seenVersion === undefined ||
      seenRow === undefined ||
      Number.isNaN(seenRow) ||
      seenVersion === v
    ) {
      return { cursor: `${v}:${last}`, collections: [] };
    }
    const rows = await this.db.all<{ path: string }>(
      'SELECT DISTINCT r.path AS path FROM changes c JOIN resources r ON r.id = c.collection_id WHERE c.rowid > ? AND c.rowid <= ?',
      [Math.min(seenRow, last), last],
    );
    return { cursor: `${v}:${last}`, collections: rows.map((r) => r.path) };
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
