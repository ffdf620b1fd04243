/**
 * Whole answers of reports on a collection, kept while the collection's state is unchanged.
 *
 * Clients repeat the same reports: a calendar view asks the same time range on every refresh,
 * DAVx5 and Thunderbird poll sync-collection and multiget, several devices of one user ask the
 * same thing. Such an answer is a function of (the user, the request, the collection's state)
 * as long as it reads nothing but the collection's members, their bodies and dead properties and
 * the collection's own; each report says when that holds (`ReportDef.cacheable`) and each live
 * property whether it is of that kind (`PropertyDef.cacheable`).
 *
 * The state is the target's (id, sync sequence, metadata sequence) as read when the request was
 * resolved, before the answer is computed: every member write bumps the sync sequence (one
 * change feed), every dead-property or collection-type write bumps the metadata sequence
 * (`Resource.metaSeq`), and both are read from the store on every request — so a write by any
 * node of a cluster is seen, and an answer is never served for a state other than the one it
 * was computed from. An answer computed while a write commits is filed under the older state,
 * which the next request no longer has: a miss, never a stale hit. Entries are not invalidated;
 * they age out of a byte-bounded LRU (`Caches.answers`, domain/caches.ts: half of
 * --response-cache-mb / ALMANAC_RESPONSE_CACHE_MB, default 16; 0 turns it off).
 *
 * CalendarServer kept a response cache of this kind for PROPFIND, keyed by a per-collection
 * token; here it covers the reports whose answers are large and repeated (RFC 4791 §7.8/§7.9,
 * RFC 6352 §8.6/§8.7, RFC 6578 §3.2).
 */
import { createHash } from 'node:crypto';
import type { KeptAnswer } from '../../domain/caches.js';
import type { Lru } from '../../formats/lru.js';
import { utf8Of } from './utf8-pieces.js';
import type { IncomingHttpHeaders } from 'node:http';
import { offerProducedBytes, type DavResponse } from './response.js';
import type { DavResource } from './resource.js';

/** Headers of a request that change its answer besides the body and the target. */
const KEY_HEADERS = ['depth', 'prefer', 'brief', 'accept'] as const;

/** What identifies a request besides its body (a DavContext has all of it). */
export interface RequestIdentity {
  /**
   * Who asks, with what stored ACEs grant them (RFC 3744 §5.5): an answer computed before a
   * grant or revocation anywhere is never served after it, whatever collection the ACL was on.
   */
  readonly user: {
    readonly id: number;
    readonly grants?: readonly { readonly path: string; readonly privileges: ReadonlySet<string> }[];
  };
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * The keys of answers computed for a fresh request (Cache-Control: no-cache) and not kept, per
 * answer cache (its `Lru`): such an answer is kept the second time its request is computed, not
 * the first (a doorkeeper, as TinyLFU puts in front of its cache). A client that asks for fresh
 * answers is not served from the cache, and what it asks is most often asked once — a window no
 * one asks again — while keeping each answer cost more than computing it: the body copied while
 * sent, kept, pushed out by the next and collected from the old generation (issue #20: month
 * queries on distinct windows took 4,800 µs of CPU each with every answer kept, 3,100–3,400
 * without). A key stays known while the collection changes, so an answer asked for again is
 * kept from then on. Answers of other requests are kept the first time, as before.
 */
const seenBy = new WeakMap<Lru<string, KeptAnswer>, Map<string, true>>();

/** Keys a doorkeeper remembers per byte of its cache's budget (at least 1,024; a key is ~100 bytes). */
const SEEN_PER_BYTE = 1 / 2048;

export class ResponseCache {
  /** Largest answer kept, bytes: a few big answers must not push out many small ones. */
  readonly maxEntryBytes: number;

  constructor(
    private readonly lru: Lru<string, KeptAnswer>,
    maxEntryBytes = Math.min(2 * 1024 * 1024, Math.floor(lru.maxBytes / 8)),
  ) {
    this.maxEntryBytes = maxEntryBytes;
  }

  /** The state an answer about `r` depends on, or null when `r` is not a stored collection. */
  static stateOf(r: DavResource): string | null {
    const s = r.stored;
    return s?.isCollection ? `${s.id}.${s.syncSeq}.${s.metaSeq}` : null;
  }

  /** The key of a request: user, what the user may do on the target, method, target, headers, body. */
  keyOf(req: RequestIdentity, privileges: Iterable<string>, body: Uint8Array): string {
    const h = createHash('sha256');
    h.update(`${req.user.id}\n${[...privileges].sort().join(',')}\n${req.method}\n${req.path}\n`);
    for (const g of req.user.grants ?? []) h.update(`grant:${g.path}:${[...g.privileges].sort().join(',')}\n`);
    for (const name of KEY_HEADERS) {
      const v = req.headers[name];
      h.update(`${name}:${Array.isArray(v) ? v.join(',') : (v ?? '')}\n`);
    }
    h.update(body);
    return h.digest('base64');
  }

  /** Whether `key`'s answer was computed before and not kept; the first time, the key is remembered. */
  private seenBefore(key: string): boolean {
    let seen = seenBy.get(this.lru);
    if (!seen) seenBy.set(this.lru, (seen = new Map()));
    if (seen.delete(key)) return true;
    if (seen.size >= Math.max(1024, Math.floor(this.lru.maxBytes * SEEN_PER_BYTE))) {
      const oldest = seen.keys().next();
      if (!oldest.done) seen.delete(oldest.value);
    }
    seen.set(key, true);
    return false;
  }

  /** The kept answer for `key` if it was computed from `state`. */
  lookup(key: string, state: string): DavResponse | null {
    // An answer kept for another state of the collection is a miss (and is replaced by this one's).
    const e = this.lru.get(key, (kept) => kept.state === state);
    return e ? { status: e.status, headers: e.headers, body: e.body } : null;
  }

  /**
   * `res` as it will be sent, keeping a copy under `key` once it is complete (for a `fresh`
   * request only the second time its key is computed: `seenBy`). A streamed body
   * is copied as it is produced; a body that fails or is abandoned part-way is not kept.
   */
  keep(key: string, state: string, res: DavResponse, fresh = false): DavResponse {
    const before = this.lru.peek(key);
    // Already kept for this very state (a no-cache request): the same answer, no second copy.
    if (before?.state === state) return res;
    // A fresh request's answer: kept if one was kept for an earlier state or its key was
    // computed before; else only the key is remembered (`seenBy`).
    if (fresh && !before && !this.seenBefore(key)) return res;
    const headers = res.headers ?? {};
    const store = (body: Buffer): void => {
      if (body.length <= this.maxEntryBytes)
        this.lru.set(key, { state, status: res.status, headers, body }, body.length + key.length + 256);
    };
    const body = res.body;
    if (body === undefined) return res;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      store(Buffer.from(body));
      return res;
    }
    const limit = this.maxEntryBytes;
    let kept: Buffer | null = null;
    const produced = (async function* copied(): AsyncGenerator<string> {
      const parts: string[] = [];
      let size = 0;
      let complete = false;
      try {
        for await (const chunk of body) {
          if (size <= limit) {
            size += chunk.length;
            parts.push(chunk);
          }
          yield chunk;
        }
        complete = true;
      } finally {
        // Characters ≤ bytes: a body over the limit in characters is over it in bytes too.
        if (complete && size <= limit) store((kept = utf8Of(parts)));
      }
    })();
    offerProducedBytes(produced, () => kept);
    return { ...res, body: produced };
  }
}
