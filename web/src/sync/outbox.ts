/**
 * Writes made while the server cannot be reached (offline, or the request failed before any
 * answer), kept in IndexedDB so they survive a reload, and sent in the order they were made
 * once the server is back. One entry per object: a second change to an object still waiting
 * is folded into its entry (see `fold`), so the server sees one write made on the version the
 * user started from, and a 412 there means someone else changed it meanwhile.
 */
export interface OutboxEntry {
  /** Order of the first change (IndexedDB key). */
  readonly id: number;
  /** Collection key (source id + collection href). */
  readonly col: string;
  readonly href: string;
  readonly op: 'put' | 'delete';
  readonly data?: string | undefined;
  readonly contentType?: string | undefined;
  /** If-Match of the version the change was made on; null: a new object (If-None-Match: *). */
  readonly etag: string | null;
}

export type OutboxChange = Omit<OutboxEntry, 'id'>;

/**
 * An entry for `next` made after `first` on the same object: what to send instead of both
 * (null: nothing, a new object deleted again before it was ever sent).
 */
export function fold(first: OutboxEntry, next: OutboxChange): OutboxEntry | null {
  if (next.op === 'put') return { ...first, op: 'put', data: next.data, contentType: next.contentType };
  if (first.op === 'put' && first.etag === null) return null;
  return { id: first.id, col: first.col, href: first.href, op: 'delete', etag: first.etag };
}

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class Outbox {
  private entries: OutboxEntry[] = [];

  private constructor(private readonly db: IDBDatabase | null) {}

  /** One database per user, beside the cache; without IndexedDB the outbox lives only in memory. */
  static async open(user: string): Promise<Outbox> {
    if (typeof indexedDB === 'undefined') return new Outbox(null);
    try {
      const req = indexedDB.open(`almanac-outbox-${user}`, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('entries', { keyPath: 'id' });
      const box = new Outbox(await promised(req));
      box.entries = (
        (await promised(box.db!.transaction('entries').objectStore('entries').getAll())) as OutboxEntry[]
      ).sort((a, b) => a.id - b.id);
      return box;
    } catch {
      return new Outbox(null);
    }
  }

  /** Waiting entries, oldest first. */
  list(): readonly OutboxEntry[] {
    return this.entries;
  }

  get size(): number {
    return this.entries.length;
  }

  forCollection(col: string): OutboxEntry[] {
    return this.entries.filter((e) => e.col === col);
  }

  /** Queue a change, folded into the entry already waiting for the same object. */
  async add(change: OutboxChange): Promise<void> {
    const i = this.entries.findIndex((e) => e.col === change.col && e.href === change.href);
    if (i < 0) {
      const id = Math.max(Date.now(), (this.entries.at(-1)?.id ?? 0) + 1);
      // The outbox's own id last: a change passed in may be an entry of a write already sent
      // (with the in-page id of its copy), and that id is neither ordered nor unique across reloads.
      const entry: OutboxEntry = { ...change, id };
      this.entries.push(entry);
      await this.write((s) => s.put(entry));
      return;
    }
    const folded = fold(this.entries[i]!, change);
    if (folded) {
      this.entries[i] = folded;
      await this.write((s) => s.put(folded));
    } else {
      const gone = this.entries.splice(i, 1)[0]!;
      await this.write((s) => s.delete(gone.id));
    }
  }

  async remove(id: number): Promise<void> {
    this.entries = this.entries.filter((e) => e.id !== id);
    await this.write((s) => s.delete(id));
  }

  private async write(op: (s: IDBObjectStore) => IDBRequest): Promise<void> {
    if (!this.db) return;
    const tx = this.db.transaction('entries', 'readwrite');
    op(tx.objectStore('entries'));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
}
