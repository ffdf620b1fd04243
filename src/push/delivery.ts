import { randomBytes } from 'node:crypto';
import { loadGrants } from '../domain/acl/grants.js';
import { holds } from '../domain/objects/privileges.js';
import { pushMessageXml } from '../domain/push/message.js';
import { pushTopic } from '../domain/push/topic.js';
import { syncToken } from '../domain/sync-token.js';
import type { PushJob, PushRegistration } from '../store/capabilities/push.js';
import type { OutboxMessage } from '../store/capabilities/push-messages.js';
import type { Store } from '../store/store.js';
import type { Resource } from '../store/types.js';
import type { ChangeBus } from './bus.js';
import { PUSH_MESSAGE_TYPE, PUSH_TTL_S } from './farewell.js';
import { replacementTopic } from './replacement-topic.js';
import { WebPushRequests, type PushRequest, type PushRequestOptions } from './web-push-request.js';
import type { VapidKeys } from './vapid-keys.js';

/** How a push service answered; `status` 0 = no answer (network error, address refused). */
export interface PushAnswer {
  readonly status: number;
  /** Retry-After in seconds, when given (RFC 9110 §10.2.3, RFC 8030 §7.1 on 429). */
  readonly retryAfterS?: number;
  /** The request was refused before it left: the address is not allowed. Never retried. */
  readonly refused?: boolean;
}

/** Hands a request to a push service (http/push-transport.ts: https only, under the address policy). */
export type PushTransport = (request: PushRequest) => Promise<PushAnswer>;

export interface DeliveryOptions {
  /** VAPID `sub` (RFC 8292 §2.1). */
  readonly subject: string;
  /** Looks for due jobs (retries, other processes' writes) this often even when no notice came. */
  readonly pollMs: number;
  /** A claimed job's lease: another node takes it over after this if this one died. */
  readonly leaseMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly ttlSeconds: number;
  /** The first back-off after a temporary failure (429, 5xx); it doubles with each one after. */
  readonly retryBaseMs: number;
}

export const DEFAULT_DELIVERY: Omit<DeliveryOptions, 'subject'> = {
  pollMs: 5_000,
  leaseMs: 60_000,
  concurrency: 64,
  ttlSeconds: PUSH_TTL_S,
  retryBaseMs: 5_000,
};

/** Temporary failures in a row after which a registration is dropped as dead. */
const MAX_FAILURES = 8;
const BACKOFF_MAX_MS = 3600_000;
const CLAIM_BATCH = 16;
const CLEANUP_EVERY_MS = 3600_000;

/** Run `fn` over `items`, at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Delivers WebDAV-Push messages (draft-bitfire-webdav-push § Push Notification). Every node runs
 * one; the node that made a change claims due jobs from the store when it hears its own notice
 * of a transaction that queued some (`ChangeNotice.pushQueued`; on PostgreSQL through
 * LISTEN/NOTIFY), and the store hands each job to one node only
 * (claimPushJobs under a lease), so a change is pushed once however many nodes there are. Other
 * nodes' notices are not claimed on: that would cost every node a transaction per write made
 * anywhere (docs/SCALING.md); a job whose node died before claiming it is found by the poll of
 * every node, every `pollMs`. A job is sent with the collection's sync
 * token at send time, so changes merged into it are announced by one message.
 */
export class PushDelivery {
  private readonly holder = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly requests: WebPushRequests;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  /** The next retry this node queued, and the timer that looks for it when it falls due. */
  private wake: { at: number; timer: NodeJS.Timeout } | undefined;
  private off: (() => void) | undefined;
  private lastCleanup = 0;

  constructor(
    private readonly store: Store,
    keys: VapidKeys,
    private readonly transport: PushTransport,
    private readonly options: DeliveryOptions,
  ) {
    this.requests = new WebPushRequests(keys, options.subject);
  }

  /** Listen for change notices and look for due jobs every `pollMs`. */
  start(bus: ChangeBus): void {
    this.off = bus.subscribe((n) => void (n.remote || n.pushQueued !== true ? undefined : this.kick()));
    this.timer = setInterval(() => void this.kick(), this.options.pollMs);
    this.timer.unref();
    void this.kick();
  }

  /** Look for due jobs now (a notice came); returns when no due job is left. */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.round()) > 0 && !this.closed);
        } while (this.again && !this.closed);
        await this.cleanup();
      } catch (err) {
        if (!this.closed) console.error('push: delivery failed:', (err as Error).message);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Claim a batch of jobs and of standalone messages and deliver them; the number claimed. */
  private async round(): Promise<number> {
    const now = Date.now();
    const until = now + this.options.leaseMs;
    const [jobs, messages] = await this.store.transaction([], async (tx) => [
      await tx.claimPushJobs(this.holder, now, until, CLAIM_BATCH),
      await tx.claimPushMessages(this.holder, now, until, CLAIM_BATCH * 4),
    ]);
    await Promise.all([
      ...jobs.map((j) => this.deliver(j)),
      pool(messages, this.options.concurrency, (m) => this.sendMessage(m)),
    ]);
    return jobs.length + messages.length;
  }

  /**
   * One standalone message (a deleted collection's last word, a reminder, an invitation): gone
   * (404/410, refused) drops it and, for a browser, its subscription; a temporary failure is
   * tried again later, at most MAX_FAILURES times; anything else ends it.
   */
  private async sendMessage(m: OutboxMessage): Promise<void> {
    const options = { ttlSeconds: m.ttlSeconds, urgency: m.urgency, ...(m.topic ? { topic: m.topic } : {}) };
    const answer = await this.post(m, Buffer.from(m.payload), m.contentType, options);
    const { status } = answer;
    const temporary = status === 0 || status === 429 || status >= 500;
    await this.store.transaction([], async (tx) => {
      if (temporary && !answer.refused && m.attempts < MAX_FAILURES) {
        const backoff = Math.min(BACKOFF_MAX_MS, this.options.retryBaseMs * 2 ** (m.attempts - 1));
        const at = Date.now() + Math.max(backoff, (answer.retryAfterS ?? 0) * 1000);
        await tx.retryPushMessage(m.id, this.holder, at);
        this.wakeAt(at);
        return;
      }
      await tx.finishPushMessage(m.id, this.holder);
      const gone = status === 404 || status === 410 || answer.refused === true;
      if (gone && m.subscriptionId) await tx.deleteBrowserSubscription(m.subscriptionId, null);
    });
  }

  /** Encrypt and hand over one message; a failure to build or send is "no answer". */
  private async post(
    to: { pushResource: string; publicKey: string; authSecret: string },
    body: Buffer,
    contentType: string,
    options: PushRequestOptions,
  ): Promise<PushAnswer> {
    try {
      return await this.transport(this.requests.build(to, body, contentType, options));
    } catch (err) {
      console.error(`push: ${to.pushResource}: ${(err as Error).message}`);
      return { status: 0 };
    }
  }

  private async deliver(job: PushJob): Promise<void> {
    const now = Date.now();
    const collection = await this.store.getResourceById(job.collectionId);
    const targets = collection ? await this.readers(collection, await this.store.pushTargets(job, now)) : [];
    const topic = pushTopic(job.collectionId);
    const token = collection ? syncToken(collection.id, collection.syncSeq) : null;
    const bodies = new Map<string, Buffer>();
    await pool(targets, this.options.concurrency, async (reg) => {
      const content = job.content && reg.contentDepth === '1';
      const property = job.property && reg.propertyDepth === '0';
      const key = `${content}/${property}`;
      let body = bodies.get(key);
      if (body === undefined) {
        body = Buffer.from(pushMessageXml({ topic, content, syncToken: content ? token : null, property }));
        bodies.set(key, body);
      }
      await this.send(reg, body, {
        ttlSeconds: this.options.ttlSeconds,
        // draft § Push Message: a property change alone is not urgent.
        urgency: content ? 'normal' : 'low',
        topic: replacementTopic(topic, content, property),
      });
    });
    await this.store.transaction([], (tx) => tx.finishPushJob(job.id, this.holder));
  }

  /**
   * The registrations whose user may still read the collection: a grant or share revoked since
   * the registration was made stops its messages at once (the topic, the sync token and the
   * timing of changes are the collection's). The grants are read from the store for each job, as
   * for each request, so a revocation on any node counts. Kept, not deleted: a grant given back
   * resumes them.
   */
  private async readers(collection: Resource, targets: readonly PushRegistration[]): Promise<PushRegistration[]> {
    const allowed = new Map<number, boolean>();
    for (const userId of new Set(targets.map((t) => t.userId))) {
      const grants = collection.ownerId === userId ? [] : await loadGrants(this.store, userId);
      allowed.set(userId, holds({ id: userId, name: '', grants }, collection, 'read'));
    }
    return targets.filter((t) => allowed.get(t.userId));
  }

  /** One message to one registration, and what its answer means for the registration. */
  private async send(reg: PushRegistration, body: Buffer, options: PushRequestOptions): Promise<void> {
    const answer = await this.post(reg, body, PUSH_MESSAGE_TYPE, options);
    const { status } = answer;
    if (status >= 200 && status < 300) {
      if (reg.failures > 0) await this.store.transaction([], (tx) => tx.markPushRegistration(reg.id, { ok: true }));
      return;
    }
    // RFC 8030 §7.3: 404/410 = the subscription is gone; a refused address or one the policy
    // forbids will never work: the registration is dropped (draft § Removal of Invalid Subscriptions).
    const gone = status === 404 || status === 410 || answer.refused === true;
    const temporary = status === 0 || status === 429 || status >= 500;
    if (gone || reg.failures + 1 >= MAX_FAILURES) {
      await this.store.transaction([], (tx) => tx.deletePushRegistration(reg.id));
      return;
    }
    const backoff = Math.min(BACKOFF_MAX_MS, this.options.retryBaseMs * 2 ** reg.failures);
    const retryAt = Date.now() + Math.max(backoff, (answer.retryAfterS ?? 0) * 1000);
    await this.store.transaction([], async (tx) => {
      await tx.markPushRegistration(reg.id, { ok: false, retryAt });
      // Other client errors (400, 403 of a VAPID mismatch, 413) are not retried, but counted.
      if (temporary) await tx.enqueuePushRetry(reg.collectionId, reg.id, retryAt);
    });
    if (temporary) this.wakeAt(retryAt);
  }

  /**
   * Look for due jobs when a retry this node queued falls due, not only at the next poll. A
   * timer can fire up to a millisecond before `at` by Date.now() (libuv counts whole
   * milliseconds of its own clock); a round then would find the job not yet due and the retry
   * would wait for the next poll (`pollMs`, seconds), so an early wake waits out the rest.
   */
  private wakeAt(at: number): void {
    if (this.closed || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(
      () => {
        this.wake = undefined;
        if (Date.now() < at) this.wakeAt(at);
        else void this.kick();
      },
      Math.max(1, at - Date.now()),
    );
    timer.unref();
    this.wake = { at, timer };
  }

  /** Drop expired registrations now and then (draft § Expiration: none is notified anyway). */
  private async cleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    await this.store.transaction([], (tx) => tx.deleteExpiredPushRegistrations(now));
  }

  /** Stop listening; resolves when the round in progress is done. */
  async close(): Promise<void> {
    this.closed = true;
    this.off?.();
    clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake.timer);
    await this.running;
  }
}
