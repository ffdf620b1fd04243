import type { SyncAnchor, SyncDevice, SyncIdMapEntry } from './types.js';
import type {
  AuthFailures, CalendarSubscription, Change, CreateCollectionOptions, DeadProperty, Lock, NewUser, ObjectQuery, PutOptions, PutResult, Resource, SearchEntry,
  SearchMatch, StoredIntervals, User,
} from './types.js';

/** Read operations, available outside and inside a transaction. */
export interface StoreReader {
  getUserByName(name: string): Promise<User | null>;
  getUserById(id: number): Promise<User | null>;
  listUsers(): Promise<User[]>;

  getResource(path: string): Promise<Resource | null>;
  getResourceById(id: number): Promise<Resource | null>;
  /** Direct members of a collection, ordered by path. */
  listChildren(parentId: number): Promise<Resource[]>;
  /** Every resource strictly below `path`, ordered by path (parents before children). */
  listDescendants(path: string): Promise<Resource[]>;
  /** Direct members with a path after `afterPath` (all when null), ordered by path, at most `limit`. */
  listChildrenPage(parentId: number, afterPath: string | null, limit: number): Promise<Resource[]>;
  readBody(id: number): Promise<Uint8Array>;
  /** The bodies of the resources with these ids that exist, in one query per few hundred ids. */
  readBodies(ids: readonly number[]): Promise<Map<number, Uint8Array>>;
  /** The precomputed event intervals of those of these resources that have them. */
  readEventIntervals(ids: readonly number[]): Promise<Map<number, StoredIntervals>>;
  /** Non-collection members of a collection passing the index prefilter, ordered by path. */
  queryObjects(collectionId: number, query: ObjectQuery): Promise<Resource[]>;
  /** The resources at these paths (those that exist), ordered by path. */
  getResourcesByPaths(paths: readonly string[]): Promise<Resource[]>;
  getProperties(resourceId: number): Promise<DeadProperty[]>;

  /** Unexpired locks that cover `path`: on it, or depth-infinity locks on an ancestor. */
  locksCovering(path: string, now: number): Promise<Lock[]>;
  /** Unexpired locks rooted at `path` or anywhere below it. */
  locksWithin(path: string, now: number): Promise<Lock[]>;
  getLock(token: string, now: number): Promise<Lock | null>;

  /** Changes of a collection with seq > `afterSeq`, ascending, at most `limit`. */
  changesSince(collectionId: number, afterSeq: number, limit: number): Promise<Change[]>;
  /** Smallest seq a sync token may name and still be answered (older history was compacted). */
  oldestSyncSeq(collectionId: number): Promise<number>;

  /**
   * Members of a collection with a search entry for `prop` matching `match` (values compared
   * as folded at write time), ordered by path, at most `limit`.
   */
  searchObjects(collectionId: number, prop: string, match: SearchMatch, limit: number): Promise<Resource[]>;
  /** The search entries stored for an object. */
  getSearchEntries(resourceId: number): Promise<SearchEntry[]>;

  /** A small shared value (session, nonce…) that every node of a cluster sees. */
  getValue(namespace: string, key: string, now: number): Promise<string | null>;

  /** The failure counts of those of `subjects` that have one (shared by every node). */
  getAuthFailures(subjects: readonly string[]): Promise<AuthFailures[]>;

  /** SyncML devices, anchors and ID maps (issue #5). */
  getSyncDevice(userId: number, deviceId: string): Promise<SyncDevice | null>;
  listSyncDevices(userId: number): Promise<SyncDevice[]>;
  listSyncAnchors(userId: number, deviceId: string): Promise<SyncAnchor[]>;
  listSyncIdMap(userId: number, deviceId: string, datastore: string): Promise<SyncIdMapEntry[]>;

  /** .ics subscriptions (issue #13): one by its collection, a user's, and those due at `now` and not leased. */
  getSubscription(collectionId: number): Promise<CalendarSubscription | null>;
  listSubscriptions(ownerId: number): Promise<CalendarSubscription[]>;
  dueSubscriptions(now: number, limit: number): Promise<CalendarSubscription[]>;
}

/**
 * Mutations. Each one keeps the store's invariants itself: writing a member of a collection
 * appends to that collection's change feed and bumps its sync sequence in the same transaction.
 */
export interface StoreTx extends StoreReader {
  createUser(user: NewUser): Promise<User>;
  updateUser(id: number, changes: Partial<Pick<User, 'passwordHash' | 'email' | 'displayName'>>): Promise<void>;
  /** Deletes the user and every resource, property, lock and change they own. */
  deleteUser(id: number): Promise<void>;

  /** Create a collection; its parent must exist unless `options.home` is set. */
  createCollection(path: string, options: CreateCollectionOptions): Promise<Resource>;
  /** Create or replace a non-collection resource. */
  putObject(path: string, options: PutOptions): Promise<PutResult>;
  /** Delete a resource and everything below it; records a delete in the parent's feed. */
  deleteResource(path: string, origin?: string | null): Promise<void>;
  /** Move a resource (and its subtree) to a new unmapped path; the destination's parent must exist. */
  moveResource(from: string, to: string, origin?: string | null): Promise<Resource>;
  /** Replace the body-less metadata of a collection (type). */
  setCollectionType(id: number, type: Resource['collectionType']): Promise<void>;

  /** Set and remove dead properties atomically. */
  patchProperties(resourceId: number, set: readonly DeadProperty[], remove: readonly string[]): Promise<void>;

  createLock(lock: Lock): Promise<void>;
  refreshLock(token: string, timeoutSeconds: number | null, expiresAt: number): Promise<void>;
  deleteLock(token: string): Promise<void>;

  /** Drop change history of a collection so that only changes with seq > `keepAfterSeq` remain. */
  compactChanges(collectionId: number, keepAfterSeq: number): Promise<void>;

  setValue(namespace: string, key: string, value: string, expiresAt: number | null): Promise<void>;
  deleteValue(namespace: string, key: string): Promise<void>;

  /**
   * Count one failed authentication of `subject` at `now`, atomically: a count whose last failure
   * is before `forgetBefore` starts again at 1. Returns the new count.
   */
  recordAuthFailure(subject: string, now: number, forgetBefore: number): Promise<AuthFailures>;
  /** Forget the failure count of `subject`. */
  clearAuthFailures(subject: string): Promise<void>;
  /** Forget every count whose last failure is before `before`; returns how many were dropped. */
  pruneAuthFailures(before: number): Promise<number>;

  putSyncDevice(device: SyncDevice): Promise<void>;
  putSyncAnchor(anchor: SyncAnchor): Promise<void>;
  /** Forget a device's anchors (all datastores, or one): its next sync is a slow sync. */
  deleteSyncAnchors(userId: number, deviceId: string, datastore?: string): Promise<void>;
  putSyncIdMap(userId: number, deviceId: string, datastore: string, entry: SyncIdMapEntry): Promise<void>;
  /** Remove one GUID's mapping, or (guid undefined) the whole map of the datastore. */
  deleteSyncIdMap(userId: number, deviceId: string, datastore: string, guid?: string): Promise<void>;

  /** Create or update a subscription's settings and state (its lease is left alone). */
  putSubscription(s: CalendarSubscription): Promise<void>;
  /**
   * Take the fetch lease of a subscription until `until`, unless another holder's lease is
   * still running at `now`; true when taken. Atomic across every node sharing the database.
   */
  leaseSubscription(collectionId: number, holder: string, now: number, until: number): Promise<boolean>;
  /** Give the lease back (only if `holder` has it). */
  releaseSubscription(collectionId: number, holder: string): Promise<void>;
}

export interface Store extends StoreReader {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Run `fn` in one atomic transaction. `lockKeys` name what the transaction writes (e.g. a
   * user's home path); transactions with a common key are serialised across every process
   * sharing the database.
   */
  transaction<T>(lockKeys: readonly string[], fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * The collections whose change feed another process sharing the database (`almanac import`,
   * a second server on the same file) appended to since `cursor`, by path, and the cursor to
   * pass next; a null cursor only takes one. Cheap when no other process committed. A backend
   * whose other writers announce their changes themselves (PostgreSQL: NOTIFY) reports none.
   */
  foreignChanges(cursor: string | null): Promise<ForeignChanges>;
  close(): Promise<void>;
}

/** What `Store.foreignChanges` found. */
export interface ForeignChanges {
  readonly cursor: string;
  /** Store paths of the collections whose change feed moved, each once. */
  readonly collections: readonly string[];
}

/** Error codes a backend raises for conditions the caller can act on. */
export type StoreErrorCode = 'conflict' | 'not-found' | 'exists';

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
