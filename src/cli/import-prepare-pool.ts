/**
 * The prepare workers of `almanac import` (issue #20: 5,000 events in under 3 s). The main
 * thread writes batch k through the one write path while the workers prepare batch k+1 — parse,
 * validation, index (import-prepare-worker.ts) — and offer the results to the write path
 * (domain/calendar/prepared-ahead.ts), which takes them instead of computing them again.
 *
 * Nothing depends on the workers: one that cannot start or dies leaves its objects unprepared,
 * and the write path computes them itself, as it does for every other writer.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { offerPreparedCalendarData, type CalendarLimits } from '../domain/calendar/object.js';
import type { PrepareItem, PrepareReply, PrepareRequest } from './import-prepare-messages.js';

const WORKER_URL = new URL('./import-prepare-worker.js', import.meta.url);

/** What the workers did in this process, for tests: results offered, and the threads that prepared them. */
const offThread = { offered: 0, threadIds: new Set<number>() };

export function preparedOffThread(): { offered: number; threadIds: readonly number[] } {
  return { offered: offThread.offered, threadIds: [...offThread.threadIds] };
}

/** One worker and the batches it has not answered yet. */
class PrepareWorker {
  private readonly pending = new Map<number, (reply: PrepareReply | null) => void>();
  private nextId = 0;
  private dead = false;

  constructor(private readonly worker: Worker) {
    worker.unref(); // referenced only while a batch is out (an import that fails must not hang)
    worker.on('message', (reply: PrepareReply) => this.settle(reply.id, reply));
    worker.on('error', () => this.die());
    worker.on('exit', () => this.die());
  }

  get alive(): boolean {
    return !this.dead;
  }

  private settle(id: number, reply: PrepareReply | null): void {
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    resolve?.(reply);
  }

  private die(): void {
    this.dead = true;
    for (const id of [...this.pending.keys()]) this.settle(id, null);
  }

  /** The worker's answer for `items`, or null when it could not give one. */
  prepare(items: readonly PrepareItem[], limits: CalendarLimits): Promise<PrepareReply | null> {
    if (this.dead) return Promise.resolve(null);
    const request: PrepareRequest = { id: this.nextId++, limits, items };
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      this.worker.ref();
      try {
        this.worker.postMessage(request);
      } catch {
        this.settle(request.id, null);
      }
    });
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

/**
 * Most workers an import starts. The main thread's write path bounds the import once one
 * worker prepares as fast as it writes (~2.25 s each for 5,000 events on 2 cores); more only
 * add a V8 heap each (tens of MB) on a many-core host.
 */
const MAX_WORKERS = 3;

export class PreparePool {
  private constructor(private readonly workers: readonly PrepareWorker[]) {}

  /**
   * One worker per core the main thread leaves free (at least one, at most MAX_WORKERS). A
   * worker that fails to start counts as dead, so its share is computed by the write path.
   */
  static start(
    url: URL = WORKER_URL,
    size = Math.min(MAX_WORKERS, Math.max(1, availableParallelism() - 1)),
  ): PreparePool {
    const workers: PrepareWorker[] = [];
    for (let i = 0; i < size; i++) {
      try {
        workers.push(new PrepareWorker(new Worker(url)));
      } catch {
        // Not started: the write path prepares inline.
      }
    }
    return new PreparePool(workers);
  }

  /**
   * Prepare `items` in the workers (split between them) and offer what they prepared to the
   * write path; resolves once offered, or once the workers gave up. Never rejects.
   */
  async prepareAhead(items: readonly PrepareItem[], limits: CalendarLimits): Promise<void> {
    const live = this.workers.filter((w) => w.alive);
    if (live.length === 0 || items.length === 0) return;
    const share = Math.ceil(items.length / live.length);
    await Promise.all(
      live.map(async (worker, w) => {
        const part = items.slice(w * share, (w + 1) * share);
        const reply = part.length > 0 ? await worker.prepare(part, limits) : null;
        reply?.results.forEach((prepared, i) => {
          const item = part[i];
          if (!prepared || !item) return;
          offerPreparedCalendarData(item.body, item.contentType, limits, {
            ...prepared,
            body: prepared.body ?? item.body,
          });
          offThread.offered += 1;
          offThread.threadIds.add(reply.threadId);
        });
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
  }
}
