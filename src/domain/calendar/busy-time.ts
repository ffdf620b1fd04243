/**
 * The busy time of one calendar collection over a range (RFC 4791 §7.10), shared by the
 * free-busy-query REPORT and the scheduling outbox's free-busy (RFC 6638 §5).
 *
 * An event whose instances are all plainly busy (no TRANSP:TRANSPARENT, no STATUS:CANCELLED or
 * TENTATIVE anywhere in its text) and whose precomputed VEVENT intervals (object-index.ts, kept
 * by the store) cover the range needs no parse and no recurrence walk: its busy periods are its
 * stored intervals that overlap the range, clipped to it — the instances `busyPeriodsWork` would
 * walk, with the same §9.9 overlap test and the same spans. Anything else is walked as before.
 * The intervals are those the query's prefilter already read (kept in the object cache); a lone
 * event with absolute times has none stored, and its one instance is its index columns. Whether
 * an object is plainly busy is kept in the object cache too, so an object the index matched is
 * read only the first time (issue #20: a free-busy query read every match's body).
 */
import type { Prefilter } from '../object-filter.js';
import { ExpansionLimitError } from '../../formats/ical/errors.js';
import { busyFromIntervals, busyPeriodsWork, type BoundedRange, type BusyPeriod } from '../../formats/ical/freebusy.js';
import type { IcalComponent, IcalTimezone } from '../../formats/ical/ical.js';
import type { ObjectsReader } from '../../store/store.js';
import type { Resource, StoredIntervals } from '../../store/types.js';
import { runSliced } from '../cooperative.js';
import type { CompFilter } from './filter.js';
import { loneSpan, type ObjectCache } from './object-cache.js';
import { queryCalendar, type QueryMatch } from './query.js';

/** Most busy periods one answer collects before merging them (a year of a 5-minute series is 105,120). */
const MAX_BUSY_PERIODS = 200_000;

/**
 * Words whose presence anywhere in an object's text may make an instance free or only tentative
 * (TRANSP, STATUS; DECLINED for a caller that frees declined events): such objects are walked.
 * Case-insensitive, as property values are (RFC 5545 §3.8.2.7, §3.8.1.11).
 */
const MAYBE_NOT_BUSY = /TRANSPARENT|CANCELLED|TENTATIVE|DECLINED/i;

function inRange(name: string, range: BoundedRange): CompFilter {
  return {
    name: 'VCALENDAR',
    isNotDefined: false,
    timeRange: null,
    propFilters: [],
    compFilters: [
      {
        name,
        isNotDefined: false,
        timeRange: { start: range.start, end: range.end },
        propFilters: [],
        compFilters: [],
      },
    ],
  };
}

/**
 * The one instance of a lone non-recurring VEVENT with absolute times, from its index columns
 * (object-index.ts `exactSpan`: [DTSTART, end] for a positive span), as the interval triple
 * `busyFromIntervals` reads; such an object has no stored intervals. Null for anything else,
 * and for a zero-length event (indexed as [start, start + 1]), which is walked.
 */
function exactInstance(r: Resource): StoredIntervals | null {
  const span = loneSpan(r);
  return span && { intervals: Float64Array.of(span.start, span.end, 1), until: null };
}

/**
 * The instance intervals of the matches: a lone event's from its index columns; a series' those
 * the query's prefilter just read and kept in the object cache (query.ts `decide`), the rest
 * (cache off or evicted) read from the store.
 */
async function intervalsOf(
  store: ObjectsReader,
  objects: ObjectCache,
  matches: readonly QueryMatch[],
): Promise<Map<number, StoredIntervals>> {
  const out = new Map<number, StoredIntervals>();
  const unread: number[] = [];
  for (const m of matches) {
    const kept = exactInstance(m.resource) ?? objects.keptIntervals(m.resource);
    if (kept) out.set(m.resource.id, kept);
    else if (kept === undefined) unread.push(m.resource.id); // null: the store keeps none
  }
  if (unread.length > 0) for (const [id, s] of await store.readEventIntervals(unread)) out.set(id, s);
  return out;
}

export interface BusyTimeOptions {
  /** An object whose events are all free for this caller (e.g. one the user declined). */
  readonly free?: (root: IcalComponent) => boolean;
  /** Where the candidates come from (default: the store's index). */
  readonly prefilter?: Prefilter;
}

const decoder = new TextDecoder();

/**
 * The texts of the matches: those the query read, and of the others those `needed` says must be
 * read (one statement). A match deleted since the query has none.
 */
async function textsOf(
  store: ObjectsReader,
  matches: readonly QueryMatch[],
  needed: (m: QueryMatch) => boolean,
  texts = new Map<number, string>(),
): Promise<Map<number, string>> {
  const unread: number[] = [];
  for (const m of matches) {
    if (m.text !== null) texts.set(m.resource.id, m.text);
    else if (!texts.has(m.resource.id) && needed(m)) unread.push(m.resource.id);
  }
  if (unread.length > 0) for (const [id, body] of await store.readBodies(unread)) texts.set(id, decoder.decode(body));
  return texts;
}

/**
 * The VEVENT objects among `matches` whose every instance is plainly busy (MAYBE_NOT_BUSY absent
 * from the text), judged on their text or, for a match decided by the index, as the object
 * cache remembers it; only objects judged on neither are read. `texts` gains what was read.
 */
async function plainlyBusy(
  store: ObjectsReader,
  objects: ObjectCache,
  matches: readonly QueryMatch[],
  texts: Map<number, string>,
): Promise<QueryMatch[]> {
  const events = matches.filter((m) => m.resource.component === 'VEVENT');
  const known = new Map(events.map((m) => [m.resource.id, objects.plainBusy(m.resource)]));
  await textsOf(store, events, (m) => known.get(m.resource.id) === undefined, texts);
  return events.filter((m) => {
    const text = texts.get(m.resource.id);
    if (text === undefined) return known.get(m.resource.id) === true;
    const plain = !MAYBE_NOT_BUSY.test(text);
    objects.keepPlainBusy(m.resource, plain);
    return plain;
  });
}

/**
 * The parsed object: from its text, else as the object cache keeps it, else (evicted since its
 * text was judged unneeded) read now; null when its text is no VCALENDAR or it was deleted.
 */
async function treeOf(
  store: ObjectsReader,
  objects: ObjectCache,
  m: QueryMatch,
  text: string | undefined,
): Promise<IcalComponent | null> {
  if (text !== undefined) return objects.tree(m.resource, text);
  const kept = objects.keptTree(m.resource);
  if (kept !== undefined) return kept;
  const body = (await store.readBodies([m.resource.id])).get(m.resource.id);
  return body === undefined ? null : objects.tree(m.resource, decoder.decode(body));
}

/** Busy periods of the VEVENTs and VFREEBUSYs of one calendar collection inside `range`, unmerged. */
export async function busyTimeOf(
  store: ObjectsReader,
  collectionId: number,
  range: BoundedRange,
  floating: IcalTimezone | null,
  objects: ObjectCache,
  options: BusyTimeOptions = {},
): Promise<BusyPeriod[]> {
  const periods: BusyPeriod[] = [];
  const collect = (found: readonly BusyPeriod[]): void => {
    for (const p of found) periods.push(p); // no spread: it may be long
    if (periods.length > MAX_BUSY_PERIODS)
      throw new ExpansionLimitError(`more than ${MAX_BUSY_PERIODS} busy periods in the requested range`);
  };
  for (const name of ['VEVENT', 'VFREEBUSY']) {
    const matches = await queryCalendar(
      store,
      collectionId,
      inRange(name, range),
      floating,
      objects,
      options.prefilter,
    );
    const texts = new Map<number, string>();
    const walk: QueryMatch[] = [];
    if (name === 'VEVENT') {
      const stored = await intervalsOf(store, objects, await plainlyBusy(store, objects, matches, texts));
      for (const m of matches) {
        const s = stored.get(m.resource.id);
        if (s && (s.until === null || range.end <= s.until)) collect(busyFromIntervals(s.intervals, range));
        else walk.push(m);
      }
    } else walk.push(...matches);
    await textsOf(store, walk, (m) => objects.keptTree(m.resource) === undefined, texts);
    for (const m of walk) {
      const root = await treeOf(store, objects, m, texts.get(m.resource.id));
      if (!root || options.free?.(root)) continue;
      // Many instances: walked in slices that share the event loop.
      collect(await runSliced(busyPeriodsWork(root, range, floating)));
    }
  }
  return periods;
}
