/**
 * Every cache of one server, made once from its configuration by the composition root
 * (http/server.ts `startServer`) and passed down: see docs/ARCHITECTURE.md "Caches".
 *
 * - `answers`: whole report answers (dav/core/response-cache.ts), kept under the collection
 *   state they were computed from;
 * - `fragments`: serialised DAV:response elements of members (dav/core/member-fragments.ts);
 * - `objects`: parsed calendar objects, their instance intervals and renderings
 *   (calendar/object-cache.ts), keyed by (id, etag);
 * - `zone-offsets`: UTC offsets of VTIMEZONE local times (formats/ical/zone-offsets.ts), a
 *   memo of a pure function shared by the process (formats is also the browser's code);
 * - `floating-zones`: calendars' floating zones by collection state (calendar/settings.ts
 *   `floatingZoneOf`), a fixed 1,000 entries;
 * - `listings`: collections' members as last listed, by collection state, brought up to date
 *   from the change feed (member-listings.ts); a quarter of the object cache's budget.
 *
 * None is invalidated: each key holds what changes with the data (an etag, the change feed's
 * sequences), and entries age out of one LRU implementation (formats/lru.ts) with one stats shape.
 */
import { zoneOffsetStats } from '../formats/ical/zone-offsets.js';
import type { KeptFloatingZone } from './calendar/settings.js';
import { Lru, type CacheStats } from '../formats/lru.js';
import { ObjectCache } from './calendar/object-cache.js';
import { MemberListings } from './member-listings.js';

/** The sizes a server's caches are made with (ServerConfig fields of the same names). */
export interface CacheConfig {
  /** Report answers and member fragments together (half each); 0 = neither. */
  readonly responseCacheBytes: number;
  /** Parsed calendar objects and what is derived from them; 0 = none. */
  readonly objectCacheBytes: number;
}

/** A report answer as kept: the state of the collection it was computed from, and its bytes. */
export interface KeptAnswer {
  readonly state: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type { CacheStats };

export type CacheName = 'answers' | 'fragments' | 'objects' | 'zone-offsets' | 'floating-zones' | 'listings';

/** One line for logs: `Caches: answers 12 hits, 3 misses, 0 evictions, 3 entries, 0.1 MB; …`. */
export function formatCacheStats(stats: Partial<Record<CacheName, CacheStats>>): string {
  const parts = Object.entries(stats).map(
    ([name, s]) =>
      `${name} ${s.hits} hits, ${s.misses} misses, ${s.evictions} evictions, ${s.entries} entries, ${(s.bytes / 1048576).toFixed(1)} MB`,
  );
  return `Caches: ${parts.length > 0 ? parts.join('; ') : 'none'}`;
}

/** Calendars whose floating zone is kept (a few hundred bytes each). */
const FLOATING_ZONES = 1_000;

/** The state of a member its DAV:response was written from (dav/core/member-fragments.ts). */
export interface FragmentState {
  readonly etag: string;
  readonly metaSeq: number;
  readonly path: string;
  /** The href it carries when it is not the member's own (a multiget's echo); '' otherwise. */
  readonly href: string;
}

/**
 * A member's serialised DAV:response, kept under its user, report shape and member id, with
 * the state it was written from: it serves only a member in that very state.
 */
export interface KeptFragment extends FragmentState {
  readonly text: string;
}

export class Caches {
  /** Whole report answers; null = off. */
  readonly answers: Lru<string, KeptAnswer> | null;
  /** Serialised DAV:response elements of members; null = off. */
  readonly fragments: Lru<string, KeptFragment> | null;
  readonly objects: ObjectCache;
  /** Calendars' parsed floating zones by collection state (reports only). */
  readonly floatingZones = new Lru<string, KeptFloatingZone>({ maxEntries: FLOATING_ZONES });
  /** Collections' members by state (PROPFIND Depth 1, initial sync-collection). */
  readonly listings: MemberListings;

  constructor(config: CacheConfig) {
    // The memory for repeated answers is shared: half for whole answers, half for member fragments.
    const half = config.responseCacheBytes / 2;
    this.answers = half > 0 ? new Lru({ maxBytes: Math.ceil(half) }) : null;
    this.fragments = half > 0 ? new Lru({ maxBytes: Math.floor(half) }) : null;
    this.objects = ObjectCache.ofBytes(config.objectCacheBytes);
    this.listings = MemberListings.ofBytes(Math.floor(config.objectCacheBytes / 4));
  }

  /** No caches at all (tools and tests that compute everything afresh). */
  static none(): Caches {
    return new Caches({ responseCacheBytes: 0, objectCacheBytes: 0 });
  }

  /** The statistics of every cache that is on, by name (for metrics and the benchmark). */
  stats(): Partial<Record<CacheName, CacheStats>> {
    const out: Partial<Record<CacheName, CacheStats>> = {};
    if (this.answers) out.answers = this.answers.stats();
    if (this.fragments) out.fragments = this.fragments.stats();
    const objects = this.objects.stats();
    if (objects) out.objects = objects;
    out['zone-offsets'] = zoneOffsetStats();
    out['floating-zones'] = this.floatingZones.stats();
    const listings = this.listings.stats();
    if (listings) out.listings = listings;
    return out;
  }
}
