/**
 * What the SyncML engine needs from the rest of Almanac, as small interfaces (ports). They are
 * implemented in `domain/` over the Store, so `syncml` depends on `formats` and these types only,
 * and every write goes through the same validation, index and change feed as a DAV PUT.
 */
import type { StatusCode } from '../../formats/syncml/model.js';
import type { AttemptResult } from '../throttle.js';

export interface SyncUser {
  readonly id: number;
  readonly name: string;
}

/** How items of a collection are stored: vCard 3.0/4.0 or iCalendar 2.0. */
export type ItemKind = 'vcard' | 'ical';

export interface StoredItem {
  /** Member name, e.g. `abc.vcf`: the server GUID. */
  readonly name: string;
  readonly etag: string;
  readonly uid: string | null;
  readonly component: string | null;
}

/** What `put` stored. */
export interface PutItem extends StoredItem {
  /**
   * The item stored is not the text sent: it replaced an attendee's copy of a scheduled event and
   * was merged into it (RFC 6638 §3.2.2.1), so the device may hold fields the server refused.
   */
  readonly merged: boolean;
}

export interface ItemChange {
  readonly name: string;
  readonly op: 'put' | 'delete';
  readonly origin: string | null;
  readonly seq: number;
}

/**
 * What a user may do with a collection through SyncML: the owner writes; anyone else as their
 * grants say (an accepted share, an ACE, a proxy group), evaluated like a DAV request.
 */
export type ItemAccess = 'none' | 'read' | 'write';

export interface CollectionInfo {
  /** The data collection's own path (a sharee's instance path is resolved to it). */
  readonly path: string;
  readonly ownerId: number;
  readonly access: ItemAccess;
  readonly kind: ItemKind;
  /** Current change-feed sequence. */
  readonly seq: number;
}

/** A write refused by validation or access rules; `status` is the SyncML status to answer. */
export class SyncItemError extends Error {
  constructor(
    readonly status: StatusCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncItemError';
  }
}

/**
 * A user's collections as SyncML reaches them. `path` is a collection the device syncs: one of the
 * user's own, a sharee's instance in their home (`/calendars/bob/<uid>`, caldav-sharing §5.5), or
 * another user's collection they hold grants on. Every call evaluates `user`'s access anew, so a
 * revoked share or ACE ends at the next call: a collection the user may not read lists nothing,
 * reads nothing and has no changes; writes are refused 425 by the write path.
 */
export interface SyncItemStore {
  collection(user: SyncUser, path: string): Promise<CollectionInfo | null>;
  /** Members, optionally only one component type (VEVENT, VTODO, VCARD). */
  list(user: SyncUser, path: string, component: string | null): Promise<StoredItem[]>;
  /** A member as `user` reads it (a sharee sees their own alarms, caldav-sharing §5.5.4). */
  read(user: SyncUser, path: string, name: string): Promise<{ item: StoredItem; text: string } | null>;
  /** Find a member by UID. */
  findByUid(user: SyncUser, path: string, uid: string): Promise<StoredItem | null>;
  /**
   * Validate and store `text` (vCard 3.0 or iCalendar 2.0) as `name` (a new member when null),
   * as `user`, recording `origin` in the change feed. Replacing an attendee's copy of a
   * scheduled event takes from `text` only what an attendee may change (RFC 6638 §3.2.2.1).
   */
  put(user: SyncUser, path: string, name: string | null, text: string, origin: string): Promise<PutItem>;
  /** False when the member did not exist. */
  delete(user: SyncUser, path: string, name: string, origin: string): Promise<boolean>;
  /** Changes after `seq`, oldest first; null when that history was compacted away. */
  changesSince(user: SyncUser, path: string, seq: number): Promise<ItemChange[] | null>;
}

export interface DeviceRecord {
  readonly userId: number;
  readonly deviceId: string;
  readonly info: string;
  readonly createdAt: number;
  readonly lastSyncAt: number | null;
}

export interface AnchorRecord {
  readonly userId: number;
  readonly deviceId: string;
  readonly datastore: string;
  readonly clientAnchor: string | null;
  readonly serverAnchor: string | null;
  readonly serverSeq: number;
  readonly lastMode: number | null;
  readonly lastSyncAt: number;
}

/** Persistent SyncML state: devices, anchors, ID maps, and expiring values (sessions, nonces). */
export interface SyncStateStore {
  getDevice(userId: number, deviceId: string): Promise<DeviceRecord | null>;
  listDevices(userId: number): Promise<DeviceRecord[]>;
  putDevice(d: DeviceRecord): Promise<void>;
  anchors(userId: number, deviceId: string): Promise<AnchorRecord[]>;
  putAnchor(a: AnchorRecord): Promise<void>;
  deleteAnchors(userId: number, deviceId: string, datastore?: string): Promise<void>;
  idMap(userId: number, deviceId: string, datastore: string): Promise<Map<string, string>>;
  putMapping(userId: number, deviceId: string, datastore: string, guid: string, luid: string): Promise<void>;
  deleteMapping(userId: number, deviceId: string, datastore: string, guid?: string): Promise<void>;
  getValue(namespace: string, key: string): Promise<string | null>;
  setValue(namespace: string, key: string, value: string, ttlMs: number | null): Promise<void>;
  deleteValue(namespace: string, key: string): Promise<void>;
}

export interface SyncAuthenticator {
  user(name: string): Promise<(SyncUser & { readonly passwordHash: string }) | null>;
  /**
   * Check a clear-text password (HTTP Basic or syncml:auth-basic) from the client `address`,
   * under the brute-force throttle: the account password or an app password scoped for SyncML
   * (domain/accounts/credentials.ts). `appPassword`: the user gave an app password, whose secret
   * must not be learnt for md5 (a revocation has to end it).
   */
  checkPassword(
    name: string,
    password: string,
    address: string,
  ): Promise<AttemptResult<SyncUser & { readonly appPassword: boolean }>>;
  /**
   * Run one credential check for `name` from the client `address` under the brute-force
   * throttle (domain/throttle.ts): refused unrun while the account or address must wait,
   * otherwise `check` runs and a null answer counts as a failure.
   */
  attempt<T>(name: string, address: string, check: () => Promise<T | null>): Promise<AttemptResult<T>>;
}
