import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { FeedFetcher } from './feed-fetcher.js';
import { refreshSubscription, type RefreshOutcome } from './subscriptions.js';

/** How many due feeds one look at the schedule takes up (they are fetched one after another). */
const BATCH = 20;

/**
 * Refreshes due subscriptions (issue #13): every `checkMs` it asks the store for feeds whose
 * time has come and whose lease nobody holds, and refreshes them one at a time. Every node of a
 * cluster runs one; the lease in the store makes each feed fetched by one node at a time.
 */
export class SubscriptionScheduler {
  /** This process's name in the lease column. */
  readonly holder = `node-${randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly fetcher: FeedFetcher,
    private readonly checkMs: number,
  ) {}

  start(): void {
    if (this.checkMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.checkMs);
    this.timer.unref();
    void this.tick();
  }

  /** Refresh one subscription now (the web app's and the CLI's "refresh"). */
  refreshNow(collectionId: number): Promise<RefreshOutcome> {
    return refreshSubscription(this.store, this.fetcher, collectionId, this.holder);
  }

  /** One look at the schedule; resolves when the due feeds are done (tests await it). */
  tick(): Promise<void> {
    this.running ??= this.runDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runDue(): Promise<void> {
    try {
      for (const s of await this.store.dueSubscriptions(Date.now(), BATCH)) {
        if (this.stopped) return;
        await refreshSubscription(this.store, this.fetcher, s.collectionId, this.holder);
      }
    } catch (err) {
      console.error('subscription scheduler:', err);
    }
  }

  /** Stop looking; a refresh in progress finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
