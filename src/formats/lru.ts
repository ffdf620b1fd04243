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

export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>();
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
    this.map.delete(key);
    this.map.set(key, e);
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
    if (old) {
      this.map.delete(key);
      this.used -= old.bytes;
    }
    if (bytes > this.maxBytes) return; // larger than the whole budget: not kept
    this.map.set(key, { value, bytes });
    this.used += bytes;
    while (this.used > this.maxBytes || this.map.size > this.maxEntries) {
      const oldest = this.map.entries().next();
      if (oldest.done) break;
      this.map.delete(oldest.value[0]);
      this.used -= oldest.value[1].bytes;
      this.counts.evictions += 1;
    }
  }

  /** Drop the entry under `key`, if any (not an eviction); whether there was one. */
  delete(key: K): boolean {
    const e = this.map.get(key);
    if (!e) return false;
    this.map.delete(key);
    this.used -= e.bytes;
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
    this.used = 0;
  }
}
