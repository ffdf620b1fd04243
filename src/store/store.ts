import type { AclReader, AclWriter } from './capabilities/acl.js';
import type { AppPasswordsReader, AppPasswordsWriter } from './capabilities/app-passwords.js';
import type { AuthFailuresReader, AuthFailuresWriter } from './capabilities/auth-failures.js';
import type { KvReader, KvWriter } from './capabilities/kv.js';
import type { LocksReader, LocksWriter } from './capabilities/locks.js';
import type { ObjectsReader, ObjectsWriter } from './capabilities/objects.js';
import type { OutboundItipReader, OutboundItipWriter } from './capabilities/outbound-itip.js';
import type { SchedulingLockWriter } from './capabilities/scheduling-lock.js';
import type { MemberLockWriter } from './capabilities/member-lock.js';
import type { StatsReader } from './capabilities/stats.js';
import type { SharesReader, SharesWriter } from './capabilities/shares.js';
import type { PerUserDataReader, PerUserDataWriter } from './capabilities/per-user-data.js';
import type { PushReader, PushWriter } from './capabilities/push.js';
import type { PushMessagesReader, PushMessagesWriter } from './capabilities/push-messages.js';
import type { SubscriptionsReader, SubscriptionsWriter } from './capabilities/subscriptions.js';
import type { SyncMlStateReader, SyncMlStateWriter } from './capabilities/syncml-state.js';
import type { Transactional } from './capabilities/transactional.js';
import type { Clock } from './capabilities/clock.js';
import type { UsersReader, UsersWriter } from './capabilities/users.js';

export type { AclReader, AclWriter } from './capabilities/acl.js';
export type { AppPasswordsReader, AppPasswordsWriter } from './capabilities/app-passwords.js';
export type { AuthFailuresReader, AuthFailuresWriter } from './capabilities/auth-failures.js';
export type { KvReader, KvWriter } from './capabilities/kv.js';
export type { LocksReader, LocksWriter } from './capabilities/locks.js';
export type { ObjectsReader, ObjectsWriter } from './capabilities/objects.js';
export type { OutboundItipReader, OutboundItipWriter } from './capabilities/outbound-itip.js';
export type { SchedulingLockWriter } from './capabilities/scheduling-lock.js';
export type { MemberLockWriter } from './capabilities/member-lock.js';
export type { StatsReader, StoreStats } from './capabilities/stats.js';
export type { SharesReader, SharesWriter } from './capabilities/shares.js';
export type { PerUserDataReader, PerUserDataWriter } from './capabilities/per-user-data.js';
export type { PushReader, PushWriter } from './capabilities/push.js';
export type { PushMessagesReader, PushMessagesWriter } from './capabilities/push-messages.js';
export type { SubscriptionsReader, SubscriptionsWriter } from './capabilities/subscriptions.js';
export type { SyncMlStateReader, SyncMlStateWriter } from './capabilities/syncml-state.js';
export type { Transactional, TxLocks } from './capabilities/transactional.js';
export { lockModes } from './capabilities/transactional.js';
export type { Clock } from './capabilities/clock.js';
export type { UsersReader, UsersWriter } from './capabilities/users.js';

/**
 * Read operations, available outside and inside a transaction: every capability's reader
 * (store/capabilities/). A consumer that reads one capability only asks for that one.
 */
export interface StoreReader
  extends
    UsersReader,
    ObjectsReader,
    LocksReader,
    KvReader,
    AuthFailuresReader,
    SyncMlStateReader,
    SubscriptionsReader,
    OutboundItipReader,
    AclReader,
    SharesReader,
    PerUserDataReader,
    PushReader,
    PushMessagesReader,
    AppPasswordsReader {}

/** Mutations: every capability's writer, inside a transaction, with all the reads. */
export interface StoreTx
  extends
    StoreReader,
    UsersWriter,
    ObjectsWriter,
    LocksWriter,
    KvWriter,
    AuthFailuresWriter,
    SyncMlStateWriter,
    SubscriptionsWriter,
    OutboundItipWriter,
    SchedulingLockWriter,
    MemberLockWriter,
    AclWriter,
    SharesWriter,
    PerUserDataWriter,
    PushWriter,
    PushMessagesWriter,
    AppPasswordsWriter {}

/** The whole store: every capability, transactions over all of them, and its lifecycle. */
export interface Store extends StoreReader, StatsReader, Clock, Transactional<StoreTx> {
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
/**
 * `deadlock`: the database broke a lock cycle by failing this transaction (PostgreSQL 40P01);
 * nothing of it was committed, and a caller whose work is a function of its input may run it again.
 * `unavailable`: the database could not be reached or cut the connection (restarting, failing
 * over); a write in flight was not committed, or its COMMIT's answer was lost — the request is
 * answered 503 with Retry-After and the client tries again.
 */
export type StoreErrorCode = 'conflict' | 'not-found' | 'exists' | 'deadlock' | 'unavailable';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
