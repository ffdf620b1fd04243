/**
 * Quotas per user (RFC 4331; issue #19 item 6). The store keeps each user's used bytes (bodies
 * plus dead properties, `users.quota_used`) in the transaction of every write; this module says
 * what the limit is and refuses a write that grows a user's usage past it. A user's own quota
 * (`users.quota_bytes`) wins over the server default (kv `settings`/`default-quota`); neither =
 * unlimited.
 */
import type { KvReader, KvWriter } from '../../store/capabilities/kv.js';
import type { UsersReader } from '../../store/capabilities/users.js';
import type { User } from '../../store/types.js';
import { ObjectRefused } from '../objects/object-refused.js';

const SETTINGS = 'settings';
const DEFAULT_QUOTA = 'default-quota';

/** The largest quota accepted (2^53 - 1 bytes: exact in a JS number and in a BIGINT). */
const MAX_QUOTA = Number.MAX_SAFE_INTEGER;

export interface QuotaState {
  readonly used: number;
  /** Bytes allowed in all; null = unlimited. */
  readonly limit: number | null;
}

/** A quota as given by an operator: bytes, or with a K/M/G/T suffix (powers of 1024); `none` = unlimited. */
export function parseQuota(text: string): number | null {
  const t = text.trim();
  if (/^(none|unlimited)$/i.test(t)) return null;
  const m = /^(\d{1,16})\s*([KMGT]i?B?|B)?$/i.exec(t);
  if (!m?.[1]) throw new RangeError(`not a quota: '${text}' (bytes, e.g. 500M or 2G, or none)`);
  const unit = (m[2] ?? 'B').toUpperCase()[0] ?? 'B';
  const bytes = Number(m[1]) * 1024 ** 'BKMGT'.indexOf(unit);
  if (!Number.isSafeInteger(bytes) || bytes > MAX_QUOTA) throw new RangeError(`quota too large: '${text}'`);
  return bytes;
}

/** The server's default quota for users without their own; null = unlimited. */
export async function defaultQuota(reader: KvReader): Promise<number | null> {
  const v = await reader.getValue(SETTINGS, DEFAULT_QUOTA, Date.now());
  return v === null ? null : Number(v);
}

/** Set (or with null, remove) the server's default quota, in the caller's transaction. */
export async function setDefaultQuota(tx: KvWriter, bytes: number | null): Promise<void> {
  if (bytes === null) await tx.deleteValue(SETTINGS, DEFAULT_QUOTA);
  else await tx.setValue(SETTINGS, DEFAULT_QUOTA, String(bytes), null);
}

/** The quota of a user row, given the server default. */
export function quotaOfUser(user: User, fallback: number | null): QuotaState {
  return { used: user.quotaUsed ?? 0, limit: user.quotaBytes ?? fallback };
}

/** The user's usage and limit now (their row and the server default read together); null when there is no such user. */
export async function quotaOf(reader: UsersReader, userId: number): Promise<QuotaState | null> {
  const r = await reader.getUserWithValue(userId, SETTINGS, DEFAULT_QUOTA, Date.now());
  return r ? quotaOfUser(r.user, r.value === null ? null : Number(r.value)) : null;
}

/** RFC 4331 DAV:quota-available-bytes: what may still be allocated (never below 0); null = unlimited. */
export function availableBytes(q: QuotaState): number | null {
  return q.limit === null ? null : Math.max(0, q.limit - q.used);
}

function refusal(q: QuotaState & { limit: number }): ObjectRefused {
  return new ObjectRefused(
    { code: 'quota-exceeded', limit: q.limit, used: q.used },
    `the quota of ${q.limit} bytes would be exceeded (${q.used} used)`,
  );
}

/**
 * Refuse, before anything is written, a write that adds `delta` bytes to the owner's usage and
 * would take it past their limit. A write that does not grow the usage (a replacement of equal
 * or smaller size) passes even over quota, so a user over their limit can always clean up
 * (RFC 4331 §3: "may be able to replace through overwrite an existing resource of equal size").
 * Nothing is written when it throws, so a caller that goes on in the same transaction after a
 * refusal (`almanac import`'s batches) keeps none of the refused write. Resolves true when the
 * write grows the usage of an owner with a limit: writes that run beside it (an object write
 * holds its area shared) may have grown it meanwhile, so the caller checks again once it has
 * charged (`refuseOverLimit`). `readAhead`: the owner's `quotaOf`, when the caller started
 * reading it before it knew the delta (write-object.ts, to send it with other reads).
 */
export async function refuseGrowth(
  tx: UsersReader & KvReader,
  ownerId: number,
  delta: number,
  readAhead?: Promise<QuotaState | null>,
): Promise<boolean> {
  if (delta <= 0) return false;
  const q = await (readAhead ?? quotaOf(tx, ownerId));
  if (q && q.limit !== null && q.used + delta > q.limit) throw refusal({ ...q, limit: q.limit });
  return q !== null && q.limit !== null;
}

/**
 * After a growing write charged the owner's usage (which holds the owner's row to commit), refuse
 * it when the usage now exceeds the limit: it counts every write that committed since
 * `refuseGrowth` read it. The caller must let the refusal roll its transaction back.
 */
export async function refuseOverLimit(tx: UsersReader & KvReader, ownerId: number): Promise<void> {
  const q = await quotaOf(tx, ownerId);
  if (q && q.limit !== null && q.used > q.limit) throw refusal({ ...q, limit: q.limit });
}

/**
 * Run `write` in the caller's transaction and refuse it afterwards when it grew the owner's
 * usage past their limit, for writes whose size is only known once done (a PROPPATCH, an
 * extended MKCOL, a COPY of a tree). The caller must let the refusal roll its transaction back.
 */
export async function withinQuota<T>(tx: UsersReader & KvReader, ownerId: number, write: () => Promise<T>): Promise<T> {
  const before = (await tx.getUserById(ownerId))?.quotaUsed ?? 0;
  const result = await write();
  const after = await quotaOf(tx, ownerId);
  if (after && after.limit !== null && after.used > before && after.used > after.limit)
    throw refusal({ ...after, limit: after.limit });
  return result;
}
