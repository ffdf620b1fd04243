import type { Store } from '../store/store.js';
import { Listeners, noticeFor, type ChangeBus, type ChangeNotice, type NoticeListener } from './bus.js';

/** How often the store is asked about other processes' commits while anyone listens. */
const FOREIGN_POLL_MS = 1000;

/**
 * A bus that also hears writes committed by other processes sharing the store (`almanac
 * import` on the server's SQLite file, a second server on it): while at least one subscriber
 * listens it asks `store.foreignChanges` every `intervalMs` — one cheap version check when
 * nothing happened — and hands a notice for each collection that moved to its local
 * subscribers. This process's own writes are announced by `notifyingStore` as before.
 */
export class ForeignWriteBus implements ChangeBus {
  private readonly local = new Listeners();
  private cursor: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly inner: ChangeBus,
    private readonly store: Pick<Store, 'foreignChanges'>,
    private readonly intervalMs = FOREIGN_POLL_MS,
  ) {}

  publish(notices: readonly ChangeNotice[]): void {
    this.inner.publish(notices);
  }

  subscribe(listener: NoticeListener): () => void {
    const offInner = this.inner.subscribe(listener);
    const offLocal = this.local.add(listener);
    this.start();
    return () => {
      offInner();
      offLocal();
      if (this.local.size === 0) this.stop();
    };
  }

  /** One look at the store now (the timer calls this; tests may too). */
  poll(): Promise<void> {
    this.polling ??= (async () => {
      try {
        const r = await this.store.foreignChanges(this.cursor);
        this.cursor = r.cursor;
        for (const path of r.collections) {
          // The other process (`almanac import`) delivers no push itself: what it queued is ours to claim.
          const n = noticeFor(path, true);
          if (n) this.local.emit(n);
        }
      } catch (err) {
        if (!this.closed) console.error("push: reading other processes' changes failed:", (err as Error).message);
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }

  private start(): void {
    if (this.timer || this.closed) return;
    // The first look only takes a cursor: what was written before anyone listened is not news.
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cursor = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.polling;
    await this.inner.close();
  }
}
