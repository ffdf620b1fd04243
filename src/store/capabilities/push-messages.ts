/**
 * Web Push beyond WebDAV-Push jobs (issue #18): the web app's own subscriptions (one per
 * browser) and an outbox of push messages that stand alone — each row names its push resource,
 * keys and payload, so it can be sent after what caused it is gone (a deleted collection's last
 * message to its registrations) or when it concerns no collection (a reminder, an invitation).
 * Rows are claimed under a lease by one node, as push jobs are.
 */

/** A browser's push subscription (the Push API's PushSubscription), owned by one user. */
export interface BrowserSubscription {
  /** Random; names it in /app/push/subscriptions/<id>. */
  readonly id: string;
  readonly userId: number;
  /** The push resource (RFC 8030 §5): https, checked like a WebDAV-Push registration's. */
  readonly endpoint: string;
  /** The browser's P-256 key (`p256dh`), uncompressed, base64url (RFC 8291 §3.2). */
  readonly publicKey: string;
  /** The 16-octet `auth` secret, base64url. */
  readonly authSecret: string;
  /** What the user sees in the list ("Firefox on Linux"); from the browser, bounded. */
  readonly label: string;
  readonly createdAt: number;
}

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

/** One queued message to one push resource. */
export interface OutboxMessage {
  readonly id: number;
  /** The browser subscription it goes to (dropped with it); null = a WebDAV-Push registration's. */
  readonly subscriptionId: string | null;
  readonly pushResource: string;
  readonly publicKey: string;
  readonly authSecret: string;
  readonly contentType: string;
  /** The plaintext (encrypted when sent, RFC 8291). */
  readonly payload: string;
  readonly urgency: PushUrgency;
  readonly ttlSeconds: number;
  /** RFC 8030 §5.4 Topic; null = none. */
  readonly topic: string | null;
  readonly attempts: number;
}

export type NewOutboxMessage = Omit<OutboxMessage, 'id' | 'attempts'>;

/** A message for every browser subscription of a user. */
export type UserNotification = Pick<OutboxMessage, 'payload' | 'urgency' | 'ttlSeconds' | 'topic'>;

export interface PushMessagesReader {
  /** The user's browser subscriptions, oldest first. */
  browserSubscriptions(userId: number): Promise<BrowserSubscription[]>;
  /** Users with at least one browser subscription, by id, at most `limit`. */
  browserPushUserIds(limit: number): Promise<number[]>;
}

export interface PushMessagesWriter {
  /** Add the user's subscription of `endpoint`, or update its keys and label; its id and whether it was new. */
  putBrowserSubscription(s: BrowserSubscription): Promise<{ id: string; created: boolean }>;
  /** Remove subscription `id`: the user's own (`userId`), or anyone's (null: the push service said it is gone). */
  deleteBrowserSubscription(id: string, userId: number | null): Promise<boolean>;
  /** Queue standalone messages, due at `now`; how many were queued. */
  queuePushMessages(messages: readonly NewOutboxMessage[], now: number): Promise<number>;
  /** Queue `n` for every browser subscription of the user; how many were queued. */
  queueUserNotification(userId: number, n: UserNotification, now: number): Promise<number>;
  /** Take up to `limit` due messages not leased, leasing them to `holder` until `until`. */
  claimPushMessages(holder: string, now: number, until: number, limit: number): Promise<OutboxMessage[]>;
  /** A claimed message was delivered or given up: remove it (if `holder` still leases it). */
  finishPushMessage(id: number, holder: string): Promise<void>;
  /** A claimed message failed for now: due again at `dueAt`, lease released. */
  retryPushMessage(id: number, holder: string, dueAt: number): Promise<void>;
  /**
   * Record that the alarm `key` of the user, firing at `firesAt`, is being notified; false when
   * it already was (by this node or another): the caller then sends nothing.
   */
  claimAlarmNotice(userId: number, key: string, firesAt: number): Promise<boolean>;
  /** Forget alarm notices that fired before `before`. */
  pruneAlarmNotices(before: number): Promise<number>;
}
