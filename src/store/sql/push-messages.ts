import type {
  BrowserSubscription,
  NewOutboxMessage,
  OutboxMessage,
  PushUrgency,
  UserNotification,
} from '../capabilities/push-messages.js';
import type { SqlConn } from './driver.js';

type Num = number | string;

interface SubscriptionRow {
  id: string;
  user_id: Num;
  endpoint: string;
  public_key: string;
  auth_secret: string;
  label: string;
  created_at: Num;
}

interface MessageRow {
  id: Num;
  subscription_id: string | null;
  push_resource: string;
  public_key: string;
  auth_secret: string;
  content_type: string;
  payload: string;
  urgency: string;
  ttl_s: Num;
  topic: string | null;
  attempts: Num;
}

const SUB_COLUMNS = 'id, user_id, endpoint, public_key, auth_secret, label, created_at';
const MSG_COLUMNS =
  'id, subscription_id, push_resource, public_key, auth_secret, content_type, payload, urgency, ttl_s, topic, attempts';

const toSubscription = (r: SubscriptionRow): BrowserSubscription => ({
  id: r.id,
  userId: Number(r.user_id),
  endpoint: r.endpoint,
  publicKey: r.public_key,
  authSecret: r.auth_secret,
  label: r.label,
  createdAt: Number(r.created_at),
});

const toMessage = (r: MessageRow): OutboxMessage => ({
  id: Number(r.id),
  subscriptionId: r.subscription_id,
  pushResource: r.push_resource,
  publicKey: r.public_key,
  authSecret: r.auth_secret,
  contentType: r.content_type,
  payload: r.payload,
  urgency: r.urgency as PushUrgency,
  ttlSeconds: Number(r.ttl_s),
  topic: r.topic,
  attempts: Number(r.attempts),
});

/** The browser_push_subscriptions, push_messages and alarm_notices queries (migration 17). */
export const PUSH_MESSAGES = {
  async subscriptions(db: SqlConn, userId: number): Promise<BrowserSubscription[]> {
    const rows = await db.all<SubscriptionRow>(
      `SELECT ${SUB_COLUMNS} FROM browser_push_subscriptions WHERE user_id = ? ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(toSubscription);
  },

  async userIds(db: SqlConn, limit: number): Promise<number[]> {
    const rows = await db.all<{ user_id: Num }>(
      'SELECT DISTINCT user_id FROM browser_push_subscriptions ORDER BY user_id LIMIT ?',
      [limit],
    );
    return rows.map((r) => Number(r.user_id));
  },

  async putSubscription(db: SqlConn, s: BrowserSubscription): Promise<{ id: string; created: boolean }> {
    const row = await db.get<{ id: string }>(
      `INSERT INTO browser_push_subscriptions (${SUB_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, endpoint) DO UPDATE SET
         public_key = excluded.public_key, auth_secret = excluded.auth_secret, label = excluded.label
       RETURNING id`,
      [s.id, s.userId, s.endpoint, s.publicKey, s.authSecret, s.label, s.createdAt],
    );
    if (!row) throw new Error('browser subscription upsert returned no row');
    return { id: row.id, created: row.id === s.id };
  },

  async deleteSubscription(db: SqlConn, id: string, userId: number | null): Promise<boolean> {
    const n =
      userId === null
        ? await db.run('DELETE FROM browser_push_subscriptions WHERE id = ?', [id])
        : await db.run('DELETE FROM browser_push_subscriptions WHERE id = ? AND user_id = ?', [id, userId]);
    return n > 0;
  },

  async queue(db: SqlConn, messages: readonly NewOutboxMessage[], now: number): Promise<number> {
    for (const m of messages) {
      await db.run(
        `INSERT INTO push_messages (subscription_id, push_resource, public_key, auth_secret, content_type, payload, urgency, ttl_s, topic, due_at, attempts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        [
          m.subscriptionId,
          m.pushResource,
          m.publicKey,
          m.authSecret,
          m.contentType,
          m.payload,
          m.urgency,
          m.ttlSeconds,
          m.topic,
          now,
        ],
      );
    }
    return messages.length;
  },

  queueForUser(db: SqlConn, userId: number, n: UserNotification, now: number): Promise<number> {
    return db.run(
      `INSERT INTO push_messages (subscription_id, push_resource, public_key, auth_secret, content_type, payload, urgency, ttl_s, topic, due_at, attempts)
       SELECT id, endpoint, public_key, auth_secret, 'application/json', ?, ?, ?, ?, ?, 0
       FROM browser_push_subscriptions WHERE user_id = ?`,
      [n.payload, n.urgency, n.ttlSeconds, n.topic, now, userId],
    );
  },

  /** The outer WHERE repeats the lease test, as PUSH.claim: a second node's UPDATE skips what the first took. */
  async claim(db: SqlConn, holder: string, now: number, until: number, limit: number): Promise<OutboxMessage[]> {
    const free = '(lease_until IS NULL OR lease_until < ?)';
    const rows = await db.all<MessageRow>(
      `UPDATE push_messages SET lease_holder = ?, lease_until = ?, attempts = attempts + 1
       WHERE id IN (SELECT id FROM push_messages WHERE due_at <= ? AND ${free} ORDER BY id LIMIT ?)
       AND ${free} RETURNING ${MSG_COLUMNS}`,
      [holder, until, now, now, limit, now],
    );
    return rows.map(toMessage).sort((a, b) => a.id - b.id);
  },

  async finish(db: SqlConn, id: number, holder: string): Promise<void> {
    await db.run('DELETE FROM push_messages WHERE id = ? AND lease_holder = ?', [id, holder]);
  },

  async retry(db: SqlConn, id: number, holder: string, dueAt: number): Promise<void> {
    await db.run(
      'UPDATE push_messages SET due_at = ?, lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ?',
      [dueAt, id, holder],
    );
  },

  async claimAlarm(db: SqlConn, userId: number, key: string, firesAt: number): Promise<boolean> {
    const n = await db.run(
      'INSERT INTO alarm_notices (user_id, alarm_key, fires_at) VALUES (?, ?, ?) ON CONFLICT (user_id, alarm_key) DO NOTHING',
      [userId, key, firesAt],
    );
    return n > 0;
  },

  pruneAlarms(db: SqlConn, before: number): Promise<number> {
    return db.run('DELETE FROM alarm_notices WHERE fires_at < ?', [before]);
  },
};
