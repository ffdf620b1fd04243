/**
 * A least-recently-used map bounded by the sum of its entries' approximate sizes: the object
 * cache (domain/calendar/object-cache.ts) and the report answer cache (dav/core/response-cache.ts).
 */
export class ByteLru<V> {
  private readonly map = new Map<string, { value: V; bytes: number }>();
  private used = 0;
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(readonly budget: number) {}

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) {
      this.stats.misses += 1;
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, e);
    this.stats.hits += 1;
    return e.value;
  }

  /** The value under `key` without counting a hit or a miss or making it recent. */
  peek(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  set(key: string, value: V, bytes: number): void {
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.used -= old.bytes;
    }
    if (bytes > this.budget) return; // larger than the whole budget: not kept
    this.map.set(key, { value, bytes });
    this.used += bytes;
    while (this.used > this.budget) {
      const oldest = this.map.entries().next();
      if (oldest.done) break;
      this.map.delete(oldest.value[0]);
      this.used -= oldest.value[1].bytes;
      this.stats.evictions += 1;
    }
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.used;
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }
}
