import type {
  Change,
  CreateCollectionOptions,
  DeadProperty,
  ExpandedText,
  ObjectQuery,
  PutOptions,
  PutResult,
  Resource,
  SearchEntry,
  SearchMatch,
  StoredIntervals,
} from '../types.js';

/** The core: resources (collections and objects), their bodies, index, dead properties and change feeds, read. */
export interface ObjectsReader {
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
  /** ObjectIndex.expandedText of those of these resources that have one for their current version. */
  readExpandedTexts(ids: readonly number[]): Promise<Map<number, ExpandedText>>;
  /** Non-collection members of a collection passing the index prefilter, ordered by path. */
  queryObjects(collectionId: number, query: ObjectQuery): Promise<Resource[]>;
  /** The resources at these paths (those that exist), ordered by path. */
  getResourcesByPaths(paths: readonly string[]): Promise<Resource[]>;
  getProperties(resourceId: number): Promise<DeadProperty[]>;
  /** The dead properties of each of these resources that has any, in one query per few hundred ids. */
  getPropertiesOf(resourceIds: readonly number[]): Promise<Map<number, DeadProperty[]>>;

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
}

/**
 * The core, written (inside a transaction). Each mutation keeps the store's invariants itself:
 * writing a member of a collection appends to that collection's change feed and bumps its sync
 * sequence in the same transaction.
 */
export interface ObjectsWriter {
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

  /**
   * From now on, the changes this transaction's writes record in change feeds are recorded when
   * its work ends, before it commits, one bump of a collection's sync sequence for all of them
   * (for bulk writers: `almanac import`). Until then, reads in this transaction see collections'
   * sync sequences and feeds as they were before those changes.
   */
  recordChangesAtEnd(): void;

  /** Drop change history of a collection so that only changes with seq > `keepAfterSeq` remain. */
  compactChanges(collectionId: number, keepAfterSeq: number): Promise<void>;
}
