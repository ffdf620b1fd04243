/**
 * Change notices: "collection X (owned by Y) has new changes". They carry no data; a client that
 * hears one runs sync-collection (RFC 6578) on that collection. Fed after commit by
 * `notifying-store.ts`, delivered to the web app by the SSE endpoint.
 */
export interface ChangeNotice {
  /** Store path of the collection whose change feed moved, e.g. `/calendars/alice/default`. */
  readonly collection: string;
  /** Name of the user whose home the collection is in (the second path segment). */
  readonly owner: string;
  /**
   * Set on a notice another server node published (PostgreSQL LISTEN/NOTIFY, pg-bus.ts); absent
   * on this process's own and on those of a process that only publishes (`almanac import`).
   */
  readonly remote?: true;
  /**
   * Set on this process's own notice when its transaction queued WebDAV-Push jobs or messages:
   * the delivery claims them at once (push/delivery.ts). A write nobody is registered for queues
   * none, and then costs no claim transaction.
   */
  readonly pushQueued?: true;
}

export type NoticeListener = (notice: ChangeNotice) => void;

/** Carries notices to every subscriber of every node. */
export interface ChangeBus {
  publish(notices: readonly ChangeNotice[]): void;
  subscribe(listener: NoticeListener): () => void;
  close(): Promise<void>;
}

/** Subscribers of one process. */
export class Listeners {
  private readonly set = new Set<NoticeListener>();

  add(listener: NoticeListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(notice: ChangeNotice): void {
    for (const l of this.set) {
      try {
        l(notice);
      } catch (err) {
        console.error('push listener failed:', err);
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}

/** One process (SQLite, or a single node): notices go straight to local subscribers. */
export class LocalBus implements ChangeBus {
  private readonly listeners = new Listeners();

  publish(notices: readonly ChangeNotice[]): void {
    for (const n of notices) this.listeners.emit(n);
  }

  subscribe(listener: NoticeListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {}
}

/** The notice that collection `collectionPath` (a store path) moved. */
export function noticeFor(collectionPath: string, pushQueued = false): ChangeNotice | null {
  const segments = collectionPath.split('/');
  const owner = segments[2];
  if (!owner) return null;
  return pushQueued ? { collection: collectionPath, owner, pushQueued: true } : { collection: collectionPath, owner };
}
