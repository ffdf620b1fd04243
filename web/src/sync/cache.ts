/**
 * The local cache: every object of every synced collection with its ETag, and each
 * collection's sync token, in IndexedDB. A revisit only fetches what changed since the token.
 */
export interface CachedObject {
  /** Collection key (source id + collection href). */
  readonly col: string;
  readonly href: string;
  readonly etag: string;
  readonly data: string;
}

interface CollectionState {
  readonly col: string;
  readonly token: string;
}

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export class Cache {
  private constructor(private readonly db: IDBDatabase | null) {}

  /** One database per user; a browser without IndexedDB gets a cache that remembers nothing. */
  static async open(user: string): Promise<Cache> {
    if (typeof indexedDB === 'undefined') return new Cache(null);
    try {
      const req = indexedDB.open(`almanac-${user}`, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        const objects = db.createObjectStore('objects', { keyPath: ['col', 'href'] });
        objects.createIndex('col', 'col');
        db.createObjectStore('collections', { keyPath: 'col' });
      };
      return new Cache(await promised(req));
    } catch {
      return new Cache(null);
    }
  }

  async token(col: string): Promise<string | undefined> {
    if (!this.db) return undefined;
    const s = (await promised(this.db.transaction('collections').objectStore('collections').get(col))) as
      CollectionState | undefined;
    return s?.token;
  }

  async objects(col: string): Promise<CachedObject[]> {
    if (!this.db) return [];
    return promised(this.db.transaction('objects').objectStore('objects').index('col').getAll(col)) as Promise<
      CachedObject[]
    >;
  }

  /** Apply one sync round atomically: puts, removals and the new token together. */
  async apply(col: string, token: string | undefined, put: CachedObject[], removed: string[]): Promise<void> {
    if (!this.db) return;
    const tx = this.db.transaction(['objects', 'collections'], 'readwrite');
    const objects = tx.objectStore('objects');
    for (const o of put) objects.put(o);
    for (const href of removed) objects.delete([col, href]);
    if (token !== undefined) tx.objectStore('collections').put({ col, token } satisfies CollectionState);
    await done(tx);
  }

  /** Forget a collection (deleted, or its token expired). */
  async clear(col: string): Promise<void> {
    if (!this.db) return;
    const tx = this.db.transaction(['objects', 'collections'], 'readwrite');
    const objects = tx.objectStore('objects');
    const keys = await promised(objects.index('col').getAllKeys(col));
    for (const k of keys) objects.delete(k);
    tx.objectStore('collections').delete(col);
    await done(tx);
  }
}
