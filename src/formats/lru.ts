/**
 * The one least-recently-used map of Almanac, bounded by a number of entries, by the sum of
 * its entries' approximate sizes in bytes, or by both. Every cache of the server is one of these
 * (see domain/caches.ts and docs/ARCHITECTURE.md "Caches"), so every cache reports the same
 * statistics. It lives in formats/ because formats may import nothing of ours and the zone
 * offset memo (formats/ical/zone-offsets.ts) is one of its users; it is pure and browser-safe.
 */

/** What every cache reports (one shape, whatever it holds). */
export interface CacheStats {
  /** Lookups that found a value. */
  hits: number;
  /** Lookups that found none. */
  misses: number;
  /** Entries dropped to stay within the bounds. */
  evictions: number;
  /** Entries held now. */
  entries: number;
  /** Approximate bytes held now (the sizes given to `set`). */
  bytes: number;
}

export interface LruBounds {
  /** Most entries held; unset = no bound on the count. */
  readonly maxEntries?: number;
  /** Most approximate bytes held; unset = no bound on the size. An entry larger than this is not kept. */
  readonly maxBytes?: number;
}

/** One entry, linked from the most recent (`newer` = null) to the least recent (`older` = null). */
interface Node<K, V> {
  readonly key: K;
  value: V;
  bytes: number;
  newer: Node<K, V> | null;
  older: Node<K, V> | null;
}

/**
 * A Map from key to entry plus a doubly linked list in recency order. A hit only relinks its
 * entry and an eviction takes the list's tail, so no operation touches more than one entry.
 * (Recency kept as the Map's insertion order instead — delete and set again on every hit, evict
 * the first of `entries()` — costs time proportional to the entries deleted since the Map last
 * compacted, because its iterator walks over their holes: 140 µs per insertion into a full
 * cache of 200,000 entries that had each been read once, against 1 µs here.)
 */
export class Lru<K, V> {
  private readonly map = new Map<K, Node<K, V>>();
  /** The most recently used entry, and the least recently used one (evicted first). */
  private newest: Node<K, V> | null = null;
  private oldest: Node<K, V> | null = null;
  private used = 0;
  private counts = { hits: 0, misses: 0, evictions: 0 };
  readonly maxEntries: number;
  readonly maxBytes: number;

  constructor(bounds: LruBounds) {
    this.maxEntries = bounds.maxEntries ?? Infinity;
    this.maxBytes = bounds.maxBytes ?? Infinity;
  }

  /**
   * The value under `key`, made the most recent; counts a hit or a miss. `usable`: whether a
   * kept value may serve this lookup (one that may not is left alone and counts as a miss).
   */
  get(key: K, usable?: (value: V) => boolean): V | undefined {
    const e = this.map.get(key);
    if (!e || (usable && !usable(e.value))) {
      this.counts.misses += 1;
      return undefined;
    }
    if (e !== this.newest) {
      this.unlink(e);
      this.linkNewest(e);
    }
    this.counts.hits += 1;
    return e.value;
  }

  /** The value under `key` without counting a hit or a miss or making it recent. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Keep `value` under `key` as the most recent entry; `bytes` is its approximate size. */
  set(key: K, value: V, bytes = 0): void {
    const old = this.map.get(key);
    if (old) this.drop(old);
    if (bytes > this.maxBytes) return; // larger than the whole budget: not kept
    const e: Node<K, V> = { key, value, bytes, newer: null, older: null };
    this.map.set(key, e);
    this.linkNewest(e);
    this.used += bytes;
    this.evictOverBounds();
  }

  private evictOverBounds(): void {
    while ((this.used > this.maxBytes || this.map.size > this.maxEntries) && this.oldest) {
      this.drop(this.oldest);
      this.counts.evictions += 1;
    }
  }

  /**
   * Change the approximate size of the entry under `key` by `delta` bytes and make it the most
   * recent (an entry that gathers derived values as it is used); evicts the least recent entries
   * while over the bounds, this one last. No entry under `key`: nothing happens.
   */
  grow(key: K, delta: number): void {
    const e = this.map.get(key);
    if (!e) return;
    e.bytes += delta;
    this.used += delta;
    if (e !== this.newest) {
      this.unlink(e);
      this.linkNewest(e);
    }
    this.evictOverBounds();
  }

  /** Drop the entry under `key`, if any (not an eviction); whether there was one. */
  delete(key: K): boolean {
    const e = this.map.get(key);
    if (!e) return false;
    this.drop(e);
    return true;
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.used;
  }

  /** A snapshot of the counters and the current fill. */
  stats(): CacheStats {
    return { ...this.counts, entries: this.map.size, bytes: this.used };
  }

  /** Drop every entry (the counters stay). */
  clear(): void {
    this.map.clear();
    this.newest = null;
    this.oldest = null;
    this.used = 0;
  }

  private drop(e: Node<K, V>): void {
    this.map.delete(e.key);
    this.unlink(e);
    this.used -= e.bytes;
  }

  private unlink(e: Node<K, V>): void {
    if (e.newer) e.newer.older = e.older;
    else this.newest = e.older;
    if (e.older) e.older.newer = e.newer;
    else this.oldest = e.newer;
    e.newer = null;
    e.older = null;
  }

  private linkNewest(e: Node<K, V>): void {
    e.older = this.newest;
    if (this.newest) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
  }
}
