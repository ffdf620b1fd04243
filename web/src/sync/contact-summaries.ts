import type { ContactSummary } from '../../../src/formats/vcard/contact-summary.js';

/**
 * Contact summaries kept in IndexedDB beside the card cache (a database of their own, like the
 * outbox), so a reload does not summarise 50,000 cards again: each is stored with the ETag of
 * the card it was made from and used only while that ETag is current.
 */
export interface StoredSummary {
  /** The shape of ContactSummary it was written with (older shapes are made again). */
  readonly v?: number;
  /** Collection key. */
  readonly col: string;
  readonly href: string;
  readonly etag: string;
  readonly s: ContactSummary;
}

/** Bump when ContactSummary changes shape. */
const SHAPE = 1;

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class SummaryStore {
  private constructor(private readonly db: IDBDatabase | null) {}

  /** A browser without IndexedDB (or a failing one) gets a store that remembers nothing. */
  static async open(user: string): Promise<SummaryStore> {
    if (typeof indexedDB === 'undefined') return new SummaryStore(null);
    try {
      const req = indexedDB.open(`almanac-contacts-${user}`, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('summaries', { keyPath: ['col', 'href'] });
      return new SummaryStore(await promised(req));
    } catch {
      return new SummaryStore(null);
    }
  }

  async all(): Promise<StoredSummary[]> {
    if (!this.db) return [];
    try {
      const rows = (await promised(
        this.db.transaction('summaries').objectStore('summaries').getAll(),
      )) as StoredSummary[];
      return rows.filter((r) => r.v === SHAPE);
    } catch {
      return [];
    }
  }

  /** Store new summaries and forget removed cards, in one transaction; failures only cost speed. */
  write(put: readonly StoredSummary[], removed: readonly { col: string; href: string }[]): void {
    if (!this.db || (put.length === 0 && removed.length === 0)) return;
    try {
      const store = this.db.transaction('summaries', 'readwrite').objectStore('summaries');
      for (const p of put) store.put({ ...p, v: SHAPE });
      for (const r of removed) store.delete([r.col, r.href]);
    } catch (err) {
      console.error('contact summaries not stored', err);
    }
  }
}
