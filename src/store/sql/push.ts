import type {
  NewPushRegistration,
  PushChange,
  PushDepth,
  PushJob,
  PushOutcome,
  PushRegistration,
} from '../capabilities/push.js';
import { subtreeRange } from '../paths.js';
import type { SqlConn } from './driver.js';

type Num = number | string;

interface RegistrationRow {
  id: string;
  user_id: Num;
  collection_id: Num;
  push_resource: string;
  public_key: string;
  auth_secret: string;
  content_encoding: string;
  content_depth: string | null;
  property_depth: string | null;
  created_at: Num;
  expires_at: Num;
  failures: Num;
  retry_at: Num | null;
}

interface JobRow {
  id: Num;
  collection_id: Num;
  registration_id: string | null;
  content: Num;
  property: Num;
  exclude: string;
  attempts: Num;
}

const REG_COLUMNS =
  'id, user_id, collection_id, push_resource, public_key, auth_secret, content_encoding, content_depth, property_depth, created_at, expires_at, failures, retry_at';
const JOB_COLUMNS = 'id, collection_id, registration_id, content, property, exclude, attempts';

function toRegistration(r: RegistrationRow): PushRegistration {
  return {
    id: r.id,
    userId: Number(r.user_id),
    collectionId: Number(r.collection_id),
    pushResource: r.push_resource,
    publicKey: r.public_key,
    authSecret: r.auth_secret,
    contentEncoding: r.content_encoding,
    contentDepth: r.content_depth as PushDepth | null,
    propertyDepth: r.property_depth as PushDepth | null,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    failures: Number(r.failures),
    retryAt: r.retry_at === null ? null : Number(r.retry_at),
  };
}

function toJob(r: JobRow): PushJob {
  return {
    id: Number(r.id),
    collectionId: Number(r.collection_id),
    registrationId: r.registration_id,
    content: Number(r.content) === 1,
    property: Number(r.property) === 1,
    exclude: JSON.parse(r.exclude) as string[],
    attempts: Number(r.attempts),
  };
}

/** A job that is not leased (or whose lease ran out) and is due. */
const FREE = '(lease_until IS NULL OR lease_until < ?)';

/** Of the ids named in Push-Dont-Notify, those that are `userId`'s own (draft § Security Context). */
async function ownIds(db: SqlConn, ids: readonly string[], userId: number | null): Promise<string[]> {
  if (ids.length === 0 || userId === null) return [];
  const marks = ids.map(() => '?').join(',');
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM push_registrations WHERE user_id = ? AND id IN (${marks}) ORDER BY id`,
    [userId, ...ids],
  );
  return rows.map((r) => r.id);
}

/** Merge one change into the collection's unclaimed job, or queue a new one. */
async function mergeJob(
  db: SqlConn,
  collectionId: number,
  c: PushChange,
  exclude: string[],
  now: number,
): Promise<void> {
  const open = await db.get<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM push_jobs WHERE collection_id = ? AND registration_id IS NULL AND lease_holder IS NULL ORDER BY id LIMIT 1`,
    [collectionId],
  );
  if (open) {
    const job = toJob(open);
    // A registration is spared only if every change merged into the job spared it.
    const kept = job.exclude.filter((id) => exclude.includes(id));
    const merged = await db.run(
      'UPDATE push_jobs SET content = ?, property = ?, exclude = ? WHERE id = ? AND lease_holder IS NULL',
      [job.content || c.content ? 1 : 0, job.property || c.property ? 1 : 0, JSON.stringify(kept), job.id],
    );
    if (merged > 0) return;
  }
  await db.run(
    `INSERT INTO push_jobs (collection_id, registration_id, content, property, exclude, created_at, due_at, attempts)
     VALUES (?, NULL, ?, ?, ?, ?, ?, 0)`,
    [collectionId, c.content ? 1 : 0, c.property ? 1 : 0, JSON.stringify(exclude), now, now],
  );
}

/** The push_registrations and push_jobs queries (migration 13), shared by both dialects. */
export const PUSH = {
  async get(db: SqlConn, id: string): Promise<PushRegistration | null> {
    const r = await db.get<RegistrationRow>(`SELECT ${REG_COLUMNS} FROM push_registrations WHERE id = ?`, [id]);
    return r ? toRegistration(r) : null;
  },

  async count(db: SqlConn, userId: number, now: number): Promise<number> {
    const r = await db.get<{ n: Num }>(
      'SELECT count(*) AS n FROM push_registrations WHERE user_id = ? AND expires_at > ?',
      [userId, now],
    );
    return Number(r?.n ?? 0);
  },

  async list(db: SqlConn, userId: number, now: number): Promise<PushRegistration[]> {
    const rows = await db.all<RegistrationRow>(
      `SELECT ${REG_COLUMNS} FROM push_registrations WHERE user_id = ? AND expires_at > ? ORDER BY created_at, id`,
      [userId, now],
    );
    return rows.map(toRegistration);
  },

  async targets(db: SqlConn, job: PushJob, now: number): Promise<PushRegistration[]> {
    const rows = job.registrationId
      ? await db.all<RegistrationRow>(
          `SELECT ${REG_COLUMNS} FROM push_registrations WHERE id = ? AND collection_id = ? AND expires_at > ?`,
          [job.registrationId, job.collectionId, now],
        )
      : await db.all<RegistrationRow>(
          `SELECT ${REG_COLUMNS} FROM push_registrations WHERE collection_id = ? AND expires_at > ?
           AND ((? = 1 AND content_depth = '1') OR (? = 1 AND property_depth = '0'))
           AND (retry_at IS NULL OR retry_at <= ?) ORDER BY id`,
          [job.collectionId, now, job.content ? 1 : 0, job.property ? 1 : 0, now],
        );
    const excluded = new Set(job.exclude);
    return rows.map(toRegistration).filter((r) => !excluded.has(r.id));
  },

  async under(db: SqlConn, path: string, now: number): Promise<PushRegistration[]> {
    const [lo, hi] = subtreeRange(path);
    const rows = await db.all<RegistrationRow>(
      `SELECT ${REG_COLUMNS.split(', ')
        .map((c) => `p.${c}`)
        .join(', ')} FROM push_registrations p JOIN resources r ON r.id = p.collection_id
       WHERE (r.path = ? OR (r.path >= ? AND r.path < ?)) AND p.expires_at > ? AND p.content_depth IS NOT NULL
       ORDER BY p.id`,
      [path, lo, hi, now],
    );
    return rows.map(toRegistration);
  },

  async put(db: SqlConn, r: NewPushRegistration): Promise<{ id: string; created: boolean }> {
    const row = await db.get<{ id: string }>(
      `INSERT INTO push_registrations (${REG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)
       ON CONFLICT (user_id, collection_id, push_resource) DO UPDATE SET
         public_key = excluded.public_key, auth_secret = excluded.auth_secret,
         content_encoding = excluded.content_encoding, content_depth = excluded.content_depth,
         property_depth = excluded.property_depth, expires_at = excluded.expires_at, failures = 0, retry_at = NULL
       RETURNING id`,
      [
        r.id,
        r.userId,
        r.collectionId,
        r.pushResource,
        r.publicKey,
        r.authSecret,
        r.contentEncoding,
        r.contentDepth,
        r.propertyDepth,
        r.createdAt,
        r.expiresAt,
      ],
    );
    if (!row) throw new Error('push registration upsert returned no row');
    return { id: row.id, created: row.id === r.id };
  },

  async delete(db: SqlConn, id: string): Promise<boolean> {
    return (await db.run('DELETE FROM push_registrations WHERE id = ?', [id])) > 0;
  },

  deleteExpired(db: SqlConn, now: number): Promise<number> {
    return db.run('DELETE FROM push_registrations WHERE expires_at <= ?', [now]);
  },

  async mark(db: SqlConn, id: string, outcome: PushOutcome): Promise<void> {
    if (outcome.ok)
      await db.run(
        'UPDATE push_registrations SET failures = 0, retry_at = NULL WHERE id = ? AND (failures <> 0 OR retry_at IS NOT NULL)',
        [id],
      );
    else
      await db.run('UPDATE push_registrations SET failures = failures + 1, retry_at = ? WHERE id = ?', [
        outcome.retryAt,
        id,
      ]);
  },

  async enqueue(
    db: SqlConn,
    changes: readonly PushChange[],
    dontNotify: readonly string[],
    userId: number | null,
    now: number,
  ): Promise<number> {
    let exclude: string[] | undefined;
    let queued = 0;
    for (const c of changes) {
      // One indexed look-up per changed collection; nothing is queued where nobody listens.
      const hit = await db.get<{ id: Num }>(
        `SELECT r.id AS id FROM resources r WHERE r.path = ? AND EXISTS
           (SELECT 1 FROM push_registrations p WHERE p.collection_id = r.id AND p.expires_at > ?)`,
        [c.path, now],
      );
      if (!hit) continue;
      exclude ??= await ownIds(db, dontNotify, userId);
      await mergeJob(db, Number(hit.id), c, exclude, now);
      queued++;
    }
    return queued;
  },

  async enqueueRetry(db: SqlConn, collectionId: number, registrationId: string, dueAt: number): Promise<void> {
    await db.run(
      `INSERT INTO push_jobs (collection_id, registration_id, content, property, exclude, created_at, due_at, attempts)
       VALUES (?, ?, 1, 1, '[]', ?, ?, 0)`,
      [collectionId, registrationId, dueAt, dueAt],
    );
  },

  /**
   * The outer WHERE repeats the lease test: on PostgreSQL a second node's UPDATE waits for the
   * rows the first leased, re-checks them and skips them (as OUTBOUND_ITIP.claim). A collection
   * with a job in flight gets no second one until it is done, so its pushes keep their order.
   */
  async claim(db: SqlConn, holder: string, now: number, until: number, limit: number): Promise<PushJob[]> {
    const rows = await db.all<JobRow>(
      `UPDATE push_jobs SET lease_holder = ?, lease_until = ?, attempts = attempts + 1
       WHERE id IN (SELECT j.id FROM push_jobs j WHERE j.due_at <= ? AND (j.lease_until IS NULL OR j.lease_until < ?)
         AND NOT EXISTS (SELECT 1 FROM push_jobs b WHERE b.collection_id = j.collection_id AND b.lease_until >= ?)
         ORDER BY j.id LIMIT ?)
       AND ${FREE} RETURNING ${JOB_COLUMNS}`,
      [holder, until, now, now, now, limit, now],
    );
    return rows.map(toJob).sort((a, b) => a.id - b.id);
  },

  async finish(db: SqlConn, id: number, holder: string): Promise<void> {
    await db.run('DELETE FROM push_jobs WHERE id = ? AND lease_holder = ?', [id, holder]);
  },
};
