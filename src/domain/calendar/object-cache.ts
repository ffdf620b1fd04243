/**
 * Derived data of stored calendar objects, cached by (resource id, etag).
 *
 * An object's etag changes on every write, so an entry can never be stale — on any node — and
 * nothing has to be invalidated: a rewritten object is simply looked up under its new key and
 * the old entry ages out of the LRU. Kept per object:
 *
 * - the parsed VCALENDAR (`t|id|etag`; shared, never modified by its readers), or "invalid";
 * - its VEVENT instance intervals up to a window end (`s|id|etag|zone|until`): what the common
 *   `VCALENDAR > VEVENT > time-range` filter tests. Open-ended series are expanded only up to
 *   the requested end, so the window end is part of the key (clients repeat the same windows);
 * - a rendered CALDAV:calendar-data transform (`r|id|etag|zone|request`), e.g. an expand; the
 *   expansion of an object whose one instance does not recur is kept once for every range that
 *   instance overlaps (the request's key without its range: formats/ical/expand.ts `loneInstance`);
 * - the precomputed instance intervals the store keeps (`i|id|etag`), as a query read them to
 *   decide its matches: an expand or the busy time of the same object then reads its instances
 *   from them instead of reading them again;
 * - whether the busy time may take its instances as plainly busy (`b|id|etag`, busy-time.ts):
 *   a free-busy query then needs no body of an object it has seen.
 *
 * Anything that reads floating times keys on the floating zone too (formats/ical/zone-offsets.ts
 * `zoneKey`). One instance per server, made by domain/caches.ts from ServerConfig
 * (`objectCacheBytes`); a budget of 0 computes everything afresh.
 */
import type { CalendarDataRequest } from '../../formats/ical/calendar-data.js';
import { needsTransform, renderCalendarData, renderCalendarTreeWork } from '../../formats/ical/calendar-data.js';
import { loneInstance, type StoredInstances } from '../../formats/ical/expand.js';
import type { IcalComponent, IcalTimezone } from '../../formats/ical/ical.js';
import { parseCalendar } from '../../formats/ical/parse.js';
import { eventIntervalsWork, instanceOverlaps } from '../../formats/ical/time-range.js';
import { runNow, type Work } from '../../formats/ical/work.js';
import { zoneKey } from '../../formats/ical/zone-offsets.js';
import { Lru, type CacheStats } from '../../formats/lru.js';

/** What keys an object: its id and its etag (which every write changes). */
export interface ObjectKey {
  readonly id: number;
  readonly etag: string;
}

const INVALID = Symbol('invalid calendar data');

/** ical.js trees take roughly this many bytes per byte of source text (jCal arrays, objects). */
const TREE_BYTES_PER_CHAR = 12;
const ENTRY_OVERHEAD = 256;

/**
 * Most VEVENT instances kept as intervals for one (object, window): beyond it the evaluator walks
 * the instances itself and stops at the first that overlaps, instead of listing them all.
 */
const MAX_CACHED_INTERVALS = 10_000;

const TOO_MANY = new Float64Array(0);

function parseOrInvalid(text: string): IcalComponent | typeof INVALID {
  try {
    return parseCalendar(text);
  } catch {
    return INVALID; // stored before validation existed, or by a plain WebDAV client
  }
}

/** The cache-key text of a calendar-data request, computed once per request object (a report renders many objects with one). */
const requestKeys = new WeakMap<CalendarDataRequest, string>();

/**
 * Short names of calendar-data requests by their JSON (often a few hundred characters, which
 * every render key would otherwise carry and every lookup hash). A name is never given twice,
 * so when the table is full it is simply started again: a request seen before then gets a new
 * name, and its renders are computed afresh, never confused with another's.
 */
const requestNames = new Map<string, string>();
const MAX_REQUEST_NAMES = 4096;
let nextRequestName = 0;

function nameOf(json: string): string {
  let name = requestNames.get(json);
  if (name === undefined) {
    if (requestNames.size >= MAX_REQUEST_NAMES) requestNames.clear();
    name = `q${(nextRequestName++).toString(36)}`;
    requestNames.set(json, name);
  }
  return name;
}

function requestKey(req: CalendarDataRequest): string {
  let key = requestKeys.get(req);
  if (key === undefined) requestKeys.set(req, (key = nameOf(JSON.stringify(req))));
  return key;
}

/** The key text of an expanding request without its range: what a lone instance's expansion depends on. */
const anyRangeKeys = new WeakMap<CalendarDataRequest, string>();

function anyRangeKey(req: CalendarDataRequest): string {
  let key = anyRangeKeys.get(req);
  if (key === undefined) anyRangeKeys.set(req, (key = nameOf(JSON.stringify({ ...req, expand: 'any range' }))));
  return key;
}

export class ObjectCache {
  /** `lru` null: nothing is kept, everything is computed afresh. */
  private constructor(private readonly lru: Lru<string, unknown> | null) {}

  /** A cache of about `bytes` (0 = off). */
  static ofBytes(bytes: number): ObjectCache {
    return new ObjectCache(bytes > 0 ? new Lru<string, unknown>({ maxBytes: bytes }) : null);
  }

  get enabled(): boolean {
    return this.lru !== null;
  }

  /** Hits, misses, evictions and fill; null when off. */
  stats(): CacheStats | null {
    return this.lru?.stats() ?? null;
  }

  /** The parsed VCALENDAR of an object, null when its text is not one. Callers must not modify it. */
  tree(r: ObjectKey, text: string): IcalComponent | null {
    const c = this.lru;
    if (!c) {
      const t = parseOrInvalid(text);
      return t === INVALID ? null : t;
    }
    const key = `t|${r.id}|${r.etag}`;
    let t = c.get(key) as IcalComponent | typeof INVALID | undefined;
    if (t === undefined) {
      t = parseOrInvalid(text);
      c.set(key, t, t === INVALID ? ENTRY_OVERHEAD : ENTRY_OVERHEAD + text.length * TREE_BYTES_PER_CHAR);
    }
    return t === INVALID ? null : t;
  }

  /** The parsed VCALENDAR of an object if it is kept (null: its text is not one; undefined: not kept). */
  keptTree(r: ObjectKey): IcalComponent | null | undefined {
    const t = this.lru?.peek(`t|${r.id}|${r.etag}`) as IcalComponent | typeof INVALID | undefined;
    return t === undefined ? undefined : t === INVALID ? null : t;
  }

  /**
   * `eventIntervals` of an object up to `until`, in `floating` (empty when its text is invalid),
   * or null when there are more than MAX_CACHED_INTERVALS of them.
   */
  eventIntervals(r: ObjectKey, text: string, floating: IcalTimezone | null, until: number | null): Float64Array | null {
    return runNow(this.eventIntervalsWork(r, text, floating, until));
  }

  /** `eventIntervals` as Work (formats/ical/work.ts). */
  *eventIntervalsWork(
    r: ObjectKey,
    text: string,
    floating: IcalTimezone | null,
    until: number | null,
  ): Work<Float64Array | null> {
    const c = this.lru;
    const key = c ? `s|${r.id}|${r.etag}|${zoneKey(floating)}|${until ?? '-'}` : '';
    const hit = c?.get(key) as Float64Array | undefined;
    if (hit) return hit === TOO_MANY ? null : hit;
    const root = this.tree(r, text);
    const spans = root ? yield* eventIntervalsWork(root, floating, until, MAX_CACHED_INTERVALS) : new Float64Array(0);
    c?.set(key, spans ?? TOO_MANY, ENTRY_OVERHEAD + (spans?.byteLength ?? 0));
    return spans;
  }

  /** Remember the store's precomputed intervals of an object (read by a query's prefilter). */
  keepStoredIntervals(r: ObjectKey, stored: StoredInstances): void {
    this.lru?.set(`i|${r.id}|${r.etag}`, stored, ENTRY_OVERHEAD + stored.intervals.byteLength);
  }

  /** Remember whether every instance of an object is plainly busy (busy-time.ts decides it from the text). */
  keepPlainBusy(r: ObjectKey, plain: boolean): void {
    this.lru?.set(`b|${r.id}|${r.etag}`, plain, ENTRY_OVERHEAD);
  }

  /** What `keepPlainBusy` kept for an object; undefined when not known (or the cache is off). */
  plainBusy(r: ObjectKey): boolean | undefined {
    return this.lru?.get(`b|${r.id}|${r.etag}`) as boolean | undefined;
  }

  /** The store's intervals of an object as a query's prefilter kept them (null: not kept, or the cache is off). */
  storedIntervals(r: ObjectKey): StoredInstances | null {
    return (this.lru?.get(`i|${r.id}|${r.etag}`) as StoredInstances | undefined) ?? null;
  }

  /** `renderCalendarData` of an object (only called when the request transforms the text). */
  render(r: ObjectKey, text: string, req: CalendarDataRequest, floating: IcalTimezone | null): string {
    return runNow(this.renderWork(r, text, req, floating));
  }

  /** `render` as Work (formats/ical/work.ts). */
  *renderWork(r: ObjectKey, text: string, req: CalendarDataRequest, floating: IcalTimezone | null): Work<string> {
    const c = this.lru;
    if (!c) return needsTransform(req) ? yield* renderCalendarTreeWork(parseCalendar(text), req, floating) : text;
    const prefix = `r|${r.id}|${r.etag}|${zoneKey(floating)}|`;
    let key = prefix + requestKey(req);
    const hit = c.get(key) as string | undefined;
    if (hit !== undefined) return hit;
    const root = this.tree(r, text);
    // A lone instance overlapping the range expands to the same text in every such range.
    const lone = req.expand && root ? loneInstance(root) : null;
    if (lone && req.expand && instanceOverlaps(lone, req.expand, floating)) {
      key = prefix + anyRangeKey(req);
      const same = c.get(key) as string | undefined;
      if (same !== undefined) return same;
    }
    // An invalid text: let the uncached path raise exactly what it always raised.
    const out = root
      ? yield* renderCalendarTreeWork(root, req, floating, req.expand ? this.storedIntervals(r) : null)
      : renderCalendarData(text, req, floating);
    c.set(key, out, ENTRY_OVERHEAD + key.length * 2 + out.length * 2);
    return out;
  }
}
