/**
 * WebDAV-Push (draft-bitfire-webdav-push, issue #18): registrations of push subscriptions on
 * collections and the queue of push jobs that delivers to them. A job names a collection whose
 * content or properties changed; it is queued in the transaction of the change and claimed by
 * exactly one node under a lease, so every change is pushed once however many nodes hear it.
 */

/** A trigger depth as the draft names it (§ Content Updates, § Property Updates). */
export type PushDepth = '0' | '1' | 'infinity';

/** One registration: a Web Push subscription on one collection, owned by the user who made it. */
export interface PushRegistration {
  /** Random; the last segment of the registration URL. */
  readonly id: string;
  readonly userId: number;
  readonly collectionId: number;
  /** The push resource (RFC 8030 §5), an absolute https URL; with user and collection it is unique. */
  readonly pushResource: string;
  /** The user agent's P-256 public key, uncompressed, base64url (RFC 8291 §3.2). */
  readonly publicKey: string;
  /** The authentication secret, base64url (RFC 8291 §3.2). */
  readonly authSecret: string;
  readonly contentEncoding: string;
  /** The granted content-update depth; null = no content-update trigger. */
  readonly contentDepth: PushDepth | null;
  /** The granted property-update depth; null = no property-update trigger. */
  readonly propertyDepth: PushDepth | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Deliveries that failed in a row with a temporary error (429, 5xx, network). */
  readonly failures: number;
  /** While set and in the future, only a retry job delivers to it (back-off). */
  readonly retryAt: number | null;
}

/** What a registration request asks for, before the store gives it an id (or keeps the old one). */
export type NewPushRegistration = Omit<PushRegistration, 'id' | 'failures' | 'retryAt'> & { readonly id: string };

/** A queued push for one collection: what changed, and who is not to hear of it. */
export interface PushJob {
  readonly id: number;
  readonly collectionId: number;
  /** A retry for this registration only; null = every registration of the collection. */
  readonly registrationId: string | null;
  readonly content: boolean;
  readonly property: boolean;
  /** Registrations named in Push-Dont-Notify by their owner, on every change merged into the job. */
  readonly exclude: readonly string[];
  readonly attempts: number;
}

/** What changed in a collection, for `enqueuePush`. */
export interface PushChange {
  /** Store path of the collection. */
  readonly path: string;
  readonly content: boolean;
  readonly property: boolean;
}

/** How a delivery to one registration ended. */
export type PushOutcome = { readonly ok: true } | { readonly ok: false; readonly retryAt: number };

export interface PushReader {
  getPushRegistration(id: string): Promise<PushRegistration | null>;
  /** How many unexpired registrations the user holds (the per-user cap). */
  countPushRegistrations(userId: number, now: number): Promise<number>;
  /** The user's unexpired registrations, oldest first (the admin's list of a user's devices). */
  listPushRegistrations(userId: number, now: number): Promise<PushRegistration[]>;
  /**
   * The unexpired registrations of a collection that a job delivers to: with a content or a
   * property trigger as `job` asks, not backing off (or only `job.registrationId` for a retry),
   * minus the excluded ones.
   */
  pushTargets(job: PushJob, now: number): Promise<PushRegistration[]>;
  /**
   * The unexpired registrations with a content-update trigger on the collection at `path` or on
   * any collection below it (those a DELETE of `path` removes; draft § Content Updates: a removal
   * is a content update).
   */
  pushRegistrationsUnder(path: string, now: number): Promise<PushRegistration[]>;
}

export interface PushWriter {
  /**
   * Create, or update in place, the user's registration of `pushResource` on the collection
   * (draft § Subscription Updates: never a second one); returns the registration's id (the
   * existing one on update) and whether it was new.
   */
  putPushRegistration(r: NewPushRegistration): Promise<{ id: string; created: boolean }>;
  deletePushRegistration(id: string): Promise<boolean>;
  /** Drop registrations that expired before `now`; returns how many. */
  deleteExpiredPushRegistrations(now: number): Promise<number>;
  /** Record a delivery's outcome: success clears the back-off, a temporary failure sets it. */
  markPushRegistration(id: string, outcome: PushOutcome): Promise<void>;
  /**
   * Queue a push for each changed collection that has unexpired registrations, merged into a
   * job of that collection not yet claimed (changes coalesced per topic). `dontNotify` are the
   * ids of registrations the writing user named in Push-Dont-Notify; only that user's own count.
   * Returns how many collections got a job (none where nobody is registered).
   */
  enqueuePush(
    changes: readonly PushChange[],
    dontNotify: readonly string[],
    userId: number | null,
    now: number,
  ): Promise<number>;
  /** Queue a retry of one registration at `dueAt`. */
  enqueuePushRetry(collectionId: number, registrationId: string, dueAt: number): Promise<void>;
  /**
   * Take up to `limit` jobs due at `now`, not leased, of collections with no job leased, leasing
   * them to `holder` until `until`. Atomic across every node: a job is never given twice while
   * its lease runs.
   */
  claimPushJobs(holder: string, now: number, until: number, limit: number): Promise<PushJob[]>;
  /** A claimed job is done (delivered, or given up): remove it, if `holder` still leases it. */
  finishPushJob(id: number, holder: string): Promise<void>;
}
