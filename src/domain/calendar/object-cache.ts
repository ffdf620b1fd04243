/**
 * Derived data of stored calendar objects, cached by (resource id, etag).
 *
 * An object's etag changes on every write, so an entry can never be stale — on any node — and
 * nothing has to be invalidated: a rewritten object's next lookup finds the entry of another
 * version and starts a new one in its place. One entry per object (`ObjectEntry`, keyed by id),
 * holding for that version:
 *
 * - the parsed VCALENDAR (shared, never modified by its readers), or "invalid";
 * - its VEVENT instance intervals up to a window end (by zone and window end): what the common
 *   `VCALENDAR > VEVENT > time-range` filter tests. Open-ended series are expanded only up to
 *   the requested end, so the window end is part of the key (clients repeat the same windows);
 * - rendered CALDAV:calendar-data transforms (by zone and request) that depend on no time range,
 *   e.g. a component selection; the expansion of an object whose one instance does not recur is
 *   kept once for every range that instance overlaps (the request's key without its range:
 *   formats/ical/expand.ts `loneInstance`); a rendering of one range is not kept;
 * - the precomputed instance intervals the store keeps, as a query read them to decide its
 *   matches: an expand or the busy time of the same object then reads its instances from them
 *   instead of reading them again;
 * - whether the busy time may take its instances as plainly busy (busy-time.ts): a free-busy
 *   query then needs no body of an object it has seen;
 * - a recurring event's expansion made ready (formats/ical/expand.ts `SeriesText`): read with
 *   its stored intervals (the index wrote it) or made once from its tree, which it then replaces;
 *   an expand of the series is written from it and the intervals, parsing nothing.
 *
 * Anything that reads floating times keys on the floating zone too (formats/ical/zone-offsets.ts
 * `zoneKey`). One instance per server, made by domain/caches.ts from ServerConfig
 * (`objectCacheBytes`); a budget of 0 computes everything afresh.
 */
import type { CalendarDataRequest } from '../../formats/ical/calendar-data.js';
import {
  isRanged,
  needsTransform,
  renderCalendarData,
  renderCalendarTreeWork,
  textExpanded,
} from '../../formats/ical/calendar-data.js';
import { loneEventExpansion } from '../../formats/ical/instance-text.js';
import {
  loneInstance,
  seriesTextFromJson,
  seriesTextOf,
  seriesTextWork,
  type SeriesText,
  type StoredInstances,
} from '../../formats/ical/expand.js';
import type { IcalComponent, IcalTimezone } from '../../formats/ical/ical.js';
import { parseCalendar } from '../../formats/ical/parse.js';
import { eventIntervalsWork, instanceOverlaps, type TimeRange } from '../../formats/ical/time-range.js';
import { runNow, type Work } from '../../formats/ical/work.js';
import { zoneKey } from '../../formats/ical/zone-offsets.js';
import { Lru, type CacheStats } from '../../formats/lru.js';

/** What keys an object: its id and its etag (which every write changes). */
export interface ObjectKey {
  readonly id: number;
  readonly etag: string;
  /**
   * The object's index columns, when the caller has its row (a store Resource): an object whose
   * span the store marked exact is one non-recurring event, expanded from its text (`loneSpan`).
   */
  readonly spanExact?: boolean;
  readonly component?: string | null;
  readonly firstStart?: number | null;
  readonly lastEnd?: number | null;
}

/**
 * The instants of an object's one non-recurring VEVENT with absolute times and a positive
 * length, read from its index columns (object-index.ts `exactSpan`), or null. Zero-length events
 * are indexed as [start, start + 1] and have no such span. Its expansion (here) and its busy
 * time (busy-time.ts) are taken from them.
 */
export function loneSpan(r: ObjectKey): { readonly start: number; readonly end: number } | null {
  const { firstStart: start, lastEnd: end } = r;
  if (r.spanExact !== true || r.component !== 'VEVENT' || start == null || end == null || end - start <= 1) return null;
  return { start, end };
}

const INVALID = Symbol('invalid calendar data');

/** ical.js trees take roughly this many bytes per byte of source text (jCal arrays, objects). */
const TREE_BYTES_PER_CHAR = 12;
/** A SeriesText holds about the object's text again (without its VTIMEZONEs), in strings made from it. */
const SERIES_BYTES_PER_CHAR = 3;
const ENTRY_OVERHEAD = 256;

/**
 * Most VEVENT instances kept as intervals for one (object, window): beyond it the evaluator walks
 * the instances itself and stops at the first that overlaps, instead of listing them all.
 */
const MAX_CACHED_INTERVALS = 10_000;

/**
 * A window's end is rounded up to a multiple of this (from the epoch) before an object's
 * intervals are listed up to it: one listing serves every window ending in the same stretch.
 * A client's views move by days, and each window ending at its own instant listed the series
 * again (issue #20: the all-day and floating series of a month query, walked for every window).
 */
const UNTIL_STEP_MS = 32 * 86_400_000;

const TOO_MANY = new Float64Array(0);

/** `ObjectEntry.stored` of an object the store keeps no intervals for. */
const NO_INTERVALS: StoredInstances = { intervals: new Float64Array(0), until: null };

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

/**
 * What is kept of one object (one version: `etag`). One entry per object, keyed by its id (a
 * number: a lookup hashes no key text; issue #20, the string keys of one entry per derived value
 * cost ~1.4 µs a lookup against ~0.1 µs), holding every value derived from that version. Values
 * that depend on a request (intervals up to a window end, renders) are kept per object up to
 * PER_OBJECT each, the oldest dropped first.
 */
interface ObjectEntry {
  readonly etag: string;
  tree?: IcalComponent | typeof INVALID;
  /** The text the tree was parsed from: a query that finds the tree kept need not read the body. */
  text?: string;
  stored?: StoredInstances;
  plainBusy?: boolean;
  /** `eventIntervals` by `zone|until`. */
  spans?: Map<string, Float64Array>;
  /** Renders by `zone|request`. */
  renders?: Map<string, string>;
  /**
   * A recurring event's expansion made ready (expand.ts `SeriesText`), null when it is no such
   * object. Once made, the tree is let go: the series is expanded from it and its stored
   * intervals, and the tree is parsed again only for what else needs it.
   */
  series?: SeriesText | null;
}

/** Most intervals (by window end) and most renders (by request) kept for one object. */
const PER_OBJECT = 16;

/** Keep `value` under `key` in a per-object map, dropping its oldest past PER_OBJECT; the bytes added (net). */
function keepIn<V>(map: Map<string, V>, key: string, value: V, size: (v: V) => number): number {
  let delta = 0;
  const old = map.get(key);
  if (old !== undefined) {
    delta -= size(old);
    map.delete(key);
  }
  map.set(key, value);
  delta += size(value);
  if (map.size > PER_OBJECT) {
    const [oldestKey, oldest] = map.entries().next().value as [string, V];
    map.delete(oldestKey);
    delta -= size(oldest);
  }
  return delta;
}

const spanBytes = (s: Float64Array): number => ENTRY_OVERHEAD + s.byteLength;
/** Stored intervals and the SeriesText JSON read with them. */
const storedBytes = (s: StoredInstances): number => s.intervals.byteLength + 2 * (s.seriesText?.length ?? 0);
const renderBytes = (s: string): number => ENTRY_OVERHEAD + s.length * 2;

/**
 * A lone event's expansion written from its text (instance-text.ts `loneEventExpansion`), whether
 * or not anything is kept: no parse, nothing kept (a window of a large calendar meets most of its
 * events once). Its times are absolute, so the floating zone does not matter; by its exact span
 * it is in the range iff it overlaps it (§9.9). Null when it is no such object or request.
 */
function loneExpansion(r: ObjectKey, text: string, req: CalendarDataRequest): string | null {
  const span = loneExpandedSpan(r, req);
  return span && loneEventExpansion(text, span.start, span.end);
}

/**
 * `loneSpan` of an object that `req` — a plain CALDAV:expand (calendar-data.ts `textExpanded`) —
 * expands as a lone event: its one instance overlaps the expand range. Null for anything else.
 */
export function loneExpandedSpan(
  r: ObjectKey,
  req: CalendarDataRequest,
): { readonly start: number; readonly end: number } | null {
  const range = req.expand;
  const span = range && textExpanded(req) ? loneSpan(r) : null;
  return span && span.start < (range?.end ?? Infinity) && span.end > (range?.start ?? -Infinity) ? span : null;
}

export class ObjectCache {
  /** `lru` null: nothing is kept, everything is computed afresh. */
  private constructor(private readonly lru: Lru<number, ObjectEntry> | null) {}

  /** A cache of about `bytes` (0 = off). */
  static ofBytes(bytes: number): ObjectCache {
    return new ObjectCache(bytes > 0 ? new Lru<number, ObjectEntry>({ maxBytes: bytes }) : null);
  }

  get enabled(): boolean {
    return this.lru !== null;
  }

  /** Hits, misses, evictions and fill (entries: objects); null when off. */
  stats(): CacheStats | null {
    return this.lru?.stats() ?? null;
  }

  /** The value `pick` reads from the kept entry of `r`'s version, counted as a hit or a miss. */
  private lookup<T>(r: ObjectKey, pick: (e: ObjectEntry) => T | undefined): T | undefined {
    const e = this.lru?.get(r.id, (kept) => kept.etag === r.etag && pick(kept) !== undefined);
    return e === undefined ? undefined : pick(e);
  }

  /** Add to the entry of `r`'s version (made anew when none is kept, or one of another version): `add` returns the bytes it added. */
  private keep(r: ObjectKey, add: (e: ObjectEntry) => number): void {
    const c = this.lru;
    if (!c) return;
    const kept = c.peek(r.id);
    if (kept !== undefined && kept.etag === r.etag) c.grow(r.id, add(kept));
    else {
      const e: ObjectEntry = { etag: r.etag };
      c.set(r.id, e, ENTRY_OVERHEAD + add(e));
    }
  }

  /** The parsed VCALENDAR of an object, null when its text is not one. Callers must not modify it. */
  tree(r: ObjectKey, text: string): IcalComponent | null {
    let t = this.lookup(r, (e) => e.tree);
    if (t === undefined) {
      const parsed = parseOrInvalid(text);
      t = parsed;
      this.keep(r, (e) => {
        e.tree = parsed;
        e.text = text;
        return text.length * (parsed === INVALID ? 2 : TREE_BYTES_PER_CHAR + 2);
      });
    }
    return t === INVALID ? null : t;
  }

  /**
   * The text of an object whose parsed tree (or SeriesText) is kept, so that a query or report
   * need not read its body from the store to render or check it (issue #20: an expanded window read every
   * match's body only to find its tree kept); undefined when it is not kept. Not counted as a
   * hit or miss: the tree's own lookup that follows is.
   */
  keptText(r: ObjectKey): string | undefined {
    const kept = this.lru?.peek(r.id);
    return kept?.etag === r.etag ? kept.text : undefined;
  }

  /** The parsed VCALENDAR of an object if it is kept (null: its text is not one; undefined: not kept). */
  keptTree(r: ObjectKey): IcalComponent | null | undefined {
    const kept = this.lru?.peek(r.id);
    const t = kept?.etag === r.etag ? kept.tree : undefined;
    return t === undefined ? undefined : t === INVALID ? null : t;
  }

  /**
   * `eventIntervals` of an object up to at least `until` (its stretch's end: UNTIL_STEP_MS), in
   * `floating` (empty when its text is invalid), or null when there are more than
   * MAX_CACHED_INTERVALS of them. Instances past `until` start after any range ending there,
   * so they overlap none of them: the overlap test reads the same answer.
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
    const through = until === null ? null : Math.ceil(until / UNTIL_STEP_MS) * UNTIL_STEP_MS;
    const key = this.lru ? `${zoneKey(floating)}|${through ?? '-'}` : '';
    const hit = this.lookup(r, (e) => e.spans?.get(key));
    if (hit) return hit === TOO_MANY ? null : hit;
    const root = this.tree(r, text);
    const spans = root ? yield* eventIntervalsWork(root, floating, through, MAX_CACHED_INTERVALS) : new Float64Array(0);
    this.keep(r, (e) => keepIn((e.spans ??= new Map()), key, spans ?? TOO_MANY, spanBytes));
    return spans;
  }

  /**
   * Remember the store's precomputed intervals of an object (read by a query's prefilter), or
   * that it has none (null: too many to store, or not an event), so that the next query does
   * not ask the store again (issue #20: a calendar's never-ending series were read for every
   * query that could match them).
   */
  keepStoredIntervals(r: ObjectKey, stored: StoredInstances | null): void {
    this.keep(r, (e) => {
      const before = e.stored ? storedBytes(e.stored) : 0;
      e.stored = stored ?? NO_INTERVALS;
      return (stored ? storedBytes(stored) : 0) - before;
    });
  }

  /** Remember whether every instance of an object is plainly busy (busy-time.ts decides it from the text). */
  keepPlainBusy(r: ObjectKey, plain: boolean): void {
    this.keep(r, (e) => {
      e.plainBusy = plain;
      return 0;
    });
  }

  /** What `keepPlainBusy` kept for an object; undefined when not known (or the cache is off). */
  plainBusy(r: ObjectKey): boolean | undefined {
    return this.lookup(r, (e) => e.plainBusy);
  }

  /** The store's intervals of an object as a query's prefilter kept them (null: none, not kept, or the cache is off). */
  storedIntervals(r: ObjectKey): StoredInstances | null {
    const kept = this.keptIntervals(r);
    return kept === undefined ? null : kept;
  }

  /** What `keepStoredIntervals` kept: the intervals, null when the object has none, undefined when not known. */
  keptIntervals(r: ObjectKey): StoredInstances | null | undefined {
    const kept = this.lookup(r, (e) => e.stored);
    return kept === NO_INTERVALS ? null : kept;
  }

  /** `renderCalendarData` of an object (only called when the request transforms the text). */
  render(r: ObjectKey, text: string, req: CalendarDataRequest, floating: IcalTimezone | null): string {
    return runNow(this.renderWork(r, text, req, floating));
  }

  /**
   * CALDAV:expand of a recurring event from its SeriesText and the stored intervals a query's
   * prefilter kept (expand.ts `seriesTextWork`: the bytes its tree would give), or null when it
   * is no such object, its intervals are not kept or do not cover the range. The SeriesText is
   * the one the index stored with the intervals or, for an object stored before, made from the
   * tree the first time and kept in the tree's place (issue #20: at 10,000 events the trees of a
   * calendar's series did not fit, and most series a window met had never been parsed).
   */
  private *seriesExpansionWork(r: ObjectKey, text: string, range: TimeRange): Work<string | null> {
    if (!this.lru || range.end === null) return null;
    const stored = this.keptIntervals(r);
    if (!stored || (stored.until !== null && range.end > stored.until)) return null;
    // The entry the lookup above just found (and counted): read again without a second lookup.
    const entry = this.lru.peek(r.id);
    let series = entry?.etag === r.etag ? entry.series : undefined;
    const written = series === undefined && stored.seriesText ? seriesTextFromJson(stored.seriesText) : null;
    if (written) {
      // Made when the object was written: nothing to parse. The JSON gives way to what it holds,
      // and the text is kept, so that a query expanding it again need not read its body.
      series = written;
      this.keep(r, (e) => {
        e.series = written;
        if (e.stored?.seriesText) e.stored = { intervals: e.stored.intervals, until: e.stored.until };
        if (e.text !== undefined) return 0;
        e.text = text;
        return 2 * text.length;
      });
    } else if (series === undefined) {
      const root = this.tree(r, text);
      const made = root ? seriesTextOf(root) : null;
      series = made;
      this.keep(r, (e) => {
        e.series = made;
        if (made === null || e.tree === undefined || e.tree === INVALID) return 0;
        e.tree = undefined; // e.text stays: a query need not read the body to expand it
        return text.length * (SERIES_BYTES_PER_CHAR - TREE_BYTES_PER_CHAR);
      });
    }
    return series ? yield* seriesTextWork(series, stored, range) : null;
  }

  /** `render` as Work (formats/ical/work.ts). */
  *renderWork(r: ObjectKey, text: string, req: CalendarDataRequest, floating: IcalTimezone | null): Work<string> {
    const lone = loneExpansion(r, text, req);
    if (lone !== null) return lone;
    const series = req.expand && textExpanded(req) ? yield* this.seriesExpansionWork(r, text, req.expand) : null;
    if (series !== null) return series;
    if (!this.lru)
      return needsTransform(req) ? yield* renderCalendarTreeWork(parseCalendar(text), req, floating) : text;
    const zone = `${zoneKey(floating)}|`;
    let key = zone + requestKey(req);
    const hit = this.lookup(r, (e) => e.renders?.get(key));
    if (hit !== undefined) return hit;
    const root = this.tree(r, text);
    // A lone instance overlapping the range expands to the same text in every such range.
    const one = req.expand && root ? loneInstance(root) : null;
    let anyRange = !isRanged(req);
    if (one && req.expand && instanceOverlaps(one, req.expand, floating)) {
      key = zone + anyRangeKey(req);
      anyRange = true;
      const same = this.lookup(r, (e) => e.renders?.get(key));
      if (same !== undefined) return same;
    }
    // An invalid text: let the uncached path raise exactly what it always raised.
    const out = root
      ? yield* renderCalendarTreeWork(root, req, floating, req.expand ? this.storedIntervals(r) : null)
      : renderCalendarData(text, req, floating);
    // A rendering of one range is not kept: a client asks each window about once (the answer
    // cache serves one it repeats), and every window's renderings of a calendar's series pushed
    // its parsed objects — what every rendering starts from — out of the cache (issue #20: at
    // 10,000 events a third of an expanded week's lookups missed and parsed the object again).
    if (anyRange) this.keep(r, (e) => keepIn((e.renders ??= new Map()), key, out, renderBytes));
    return out;
  }
}
