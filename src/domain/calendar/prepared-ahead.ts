/**
 * Results computed ahead of a write for exact bytes (issue #20). `almanac import` has a worker
 * thread run the pure, CPU-heavy part of preparing each calendar object (parse, validation,
 * index: `preparedCalendarData` in object.ts) while the main thread writes the batch before; it
 * offers the results here, and the one write path takes them instead of computing them again.
 * So the write path stays the only one (DESIGN: every writer, the same checks): it still runs
 * every step, and only skips recomputing a pure function whose result it finds for the very
 * same input.
 *
 * An entry serves only the byte-identical body in the same context (the media type label and
 * the limits, which decide the result): the key is the body's SHA-256 and the context, and the
 * bytes are compared on a hit. An entry is taken once (deleted when used) and the memo is
 * bounded (formats/lru.ts); what is not found is simply computed again. Refusals are never
 * offered: the write path computes them itself, so they are thrown exactly as without a memo.
 */
import { createHash } from 'node:crypto';
import { Lru, type CacheStats, type LruBounds } from '../../formats/lru.js';

interface Entry<V> {
  readonly body: Uint8Array;
  readonly value: V;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

export class PreparedAhead<V> {
  private readonly lru: Lru<string, Entry<V>>;

  constructor(bounds: LruBounds) {
    this.lru = new Lru(bounds);
  }

  private static key(body: Uint8Array, context: string): string {
    return `${createHash('sha256').update(body).digest('base64url')}\0${context}`;
  }

  /** Keep `value`, computed for `body` in `context`; `bytes`: its approximate size. */
  offer(body: Uint8Array, context: string, value: V, bytes: number): void {
    this.lru.set(PreparedAhead.key(body, context), { body, value }, body.byteLength + bytes);
  }

  /** The value offered for exactly `body` in `context`, removed from the memo; undefined if none. */
  take(body: Uint8Array, context: string): V | undefined {
    // Nothing offered (a server, an import without its worker): no hashing, no counting.
    if (this.lru.size === 0) return undefined;
    const key = PreparedAhead.key(body, context);
    const entry = this.lru.get(key, (e) => sameBytes(e.body, body));
    if (entry === undefined) return undefined;
    this.lru.delete(key);
    return entry.value;
  }

  /** Hits (values taken), misses, evictions (offered but never taken), what is held now. */
  stats(): CacheStats {
    return this.lru.stats();
  }

  /** Drop every entry: an import's leftovers (refused earlier, or a transaction run again). */
  clear(): void {
    this.lru.clear();
  }
}
