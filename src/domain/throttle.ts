/**
 * Brute-force throttling of password checks, shared by HTTP Basic, the web app's login and
 * SyncML. Failures are counted per account name and per source address in the store, so every
 * node of a cluster counts together. After a few free failures each further attempt must wait
 * a delay that doubles with every failure (slowing), up to a ceiling; an attempt that comes
 * before its wait is over is refused without the password being looked at (HTTP 429 with
 * Retry-After, RFC 6585 §4), whether or not the password is right.
 *
 * A real user is not locked out by an attacker guessing their password elsewhere: a source
 * address that authenticated the account recently stays trusted for it and is not held by the
 * account's count (only by its own address count), and a credential the server already verified
 * and still remembers (http/auth.ts) is not throttled at all.
 */
import { createHash } from 'node:crypto';
import type { AuthFailuresReader, AuthFailuresWriter, KvReader, KvWriter, Transactional } from '../store/store.js';
import type { AuthFailures } from '../store/types.js';

export interface ThrottlePolicy {
  /** Failed attempts on one account name before further attempts on it must wait. */
  readonly accountFreeFailures: number;
  /** Failed attempts from one source address (an IPv6 /64) before it must wait. */
  readonly addressFreeFailures: number;
  /** The wait after the first failure beyond the free ones; it doubles with each further failure. */
  readonly baseDelayMs: number;
  /** The longest wait between two attempts. */
  readonly maxDelayMs: number;
  /** A count with no new failure for this long starts again from zero (and is pruned). */
  readonly forgetAfterMs: number;
  /** How long a source address that authenticated an account stays trusted for that account. */
  readonly trustMs: number;
}

/**
 * 5 free guesses per account, then 1 s, 2 s, 4 s … up to 15 min between guesses (after ~15
 * failures an account allows one guess per quarter hour, ~100 a day); 20 free per address. A
 * quiet hour forgets the count. An address that logged in stays trusted for 30 days.
 */
export const DEFAULT_THROTTLE: ThrottlePolicy = {
  accountFreeFailures: 5,
  addressFreeFailures: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  trustMs: 30 * 24 * 3600_000,
};

/** Account names longer than this are counted by their hash (the key stays small). */
const MAX_NAME_IN_KEY = 128;
/** kv namespace of (account, address) pairs that authenticated recently. */
const TRUST_NAMESPACE = 'auth-trust';
/** Old counts are pruned at most this often per process. */
const PRUNE_EVERY_MS = 60_000;

/** When `f` allows the next attempt (0 = now), given `free` failures without a wait. */
export function nextAttemptAt(f: AuthFailures | undefined, free: number, policy: ThrottlePolicy): number {
  if (!f || f.failures < free) return 0;
  const doublings = Math.min(f.failures - free, 40);
  return f.lastFailureAt + Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs);
}

/** The source address as counted: IPv4 (also IPv4-mapped IPv6) whole, IPv6 by its /64. */
export function addressKey(address: string): string {
  const a = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1]) return mapped[1];
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...front, ...new Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * An account name as counted: lower case; printable ASCII without spaces as it is (every real
 * user name is), anything else — control characters, NUL, very long names — by its SHA-256.
 */
export function nameKey(name: string): string {
  const lower = name.toLowerCase();
  return /^[\x21-\x7e]+$/.test(lower) && lower.length <= MAX_NAME_IN_KEY
    ? lower
    : `sha256:${createHash('sha256').update(lower).digest('hex')}`;
}

export type AttemptResult<T> = { readonly ok: T } | { readonly failed: true } | { readonly retryAfterSeconds: number };

export class AuthThrottle {
  readonly policy: ThrottlePolicy;
  private lastPrune = 0;
  /** The last attempt queued per account subject (see attempt). */
  private readonly queue = new Map<string, Promise<void>>();

  constructor(
    private readonly store: AuthFailuresReader & KvReader & Transactional<AuthFailuresWriter & KvWriter>,
    policy: Partial<ThrottlePolicy> = {},
  ) {
    this.policy = { ...DEFAULT_THROTTLE, ...policy };
  }

  private static subjects(name: string, address: string): { account: string; address: string } {
    return { account: `user:${nameKey(name)}`, address: `addr:${addressKey(address)}` };
  }

  private static trustKey(name: string, address: string): string {
    return `${nameKey(name)} ${addressKey(address)}`;
  }

  /** Seconds the caller must wait before trying `name` from `address`; 0 = may try now. */
  async wait(name: string, address: string, now = Date.now()): Promise<number> {
    const s = AuthThrottle.subjects(name, address);
    const counts = await this.store.getAuthFailures([s.account, s.address]);
    const of = (subject: string): AuthFailures | undefined => counts.find((c) => c.subject === subject);
    const forget = now - this.policy.forgetAfterMs;
    const live = (f: AuthFailures | undefined): AuthFailures | undefined =>
      f && f.lastFailureAt >= forget ? f : undefined;
    let until = nextAttemptAt(live(of(s.address)), this.policy.addressFreeFailures, this.policy);
    const accountUntil = nextAttemptAt(live(of(s.account)), this.policy.accountFreeFailures, this.policy);
    if (accountUntil > now && !(await this.trusted(name, address, now))) until = Math.max(until, accountUntil);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  private async trusted(name: string, address: string, now: number): Promise<boolean> {
    return (await this.store.getValue(TRUST_NAMESPACE, AuthThrottle.trustKey(name, address), now)) !== null;
  }

  /** Count a failed attempt on `name` from `address`. */
  async failed(name: string, address: string, now = Date.now()): Promise<void> {
    const s = AuthThrottle.subjects(name, address);
    const forget = now - this.policy.forgetAfterMs;
    const prune = now - this.lastPrune > PRUNE_EVERY_MS;
    if (prune) this.lastPrune = now;
    await this.store.transaction([`throttle:${s.account}`, `throttle:${s.address}`], async (tx) => {
      await tx.recordAuthFailure(s.account, now, forget);
      await tx.recordAuthFailure(s.address, now, forget);
      if (prune) await tx.pruneAuthFailures(forget);
    });
  }

  /** Remember that `address` authenticated `name`: it is trusted for that account from now on. */
  async succeeded(name: string, address: string, now = Date.now()): Promise<void> {
    const key = AuthThrottle.trustKey(name, address);
    await this.store.transaction([`throttle-trust:${key}`], (tx) =>
      tx.setValue(TRUST_NAMESPACE, key, '1', now + this.policy.trustMs),
    );
  }

  /**
   * One password check under the throttle: refused unseen while a wait is due, otherwise
   * `verify` runs and its outcome is counted. `verify` answers null for a wrong password.
   */
  async attempt<T>(name: string, address: string, verify: () => Promise<T | null>): Promise<AttemptResult<T>> {
    // Attempts on one account take turns in this process, so a burst of parallel guesses is
    // counted one by one instead of all being checked before the first failure is recorded.
    const key = AuthThrottle.subjects(name, address).account;
    const before = this.queue.get(key) ?? Promise.resolve();
    const mine = before.then(() => this.attemptNow(name, address, verify));
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    this.queue.set(key, tail);
    void tail.then(() => {
      if (this.queue.get(key) === tail) this.queue.delete(key);
    });
    return mine;
  }

  private async attemptNow<T>(
    name: string,
    address: string,
    verify: () => Promise<T | null>,
  ): Promise<AttemptResult<T>> {
    const wait = await this.wait(name, address);
    if (wait > 0) return { retryAfterSeconds: wait };
    const ok = await verify();
    if (ok === null) {
      await this.failed(name, address);
      return { failed: true };
    }
    await this.succeeded(name, address);
    return { ok };
  }
}
