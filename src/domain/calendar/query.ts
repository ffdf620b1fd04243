import type { IcalComponent, IcalTimezone } from '../../formats/ical/ical.js';
import { parseCalendar } from '../../formats/ical/parse.js';
import type { ObjectsReader } from '../../store/store.js';
import type { Resource, StoredIntervals } from '../../store/types.js';
import { beganLongBefore } from '../../formats/ical/fast-forward.js';
import { intervalsOverlap } from '../../formats/ical/interval-index.js';
import { runSliced } from '../cooperative.js';
import { storePrefilter, type ObjectFilter, type Prefilter } from '../object-filter.js';
import { queryObjects } from '../object-query.js';
import { matchesFilterWork } from './evaluate.js';
import type { ObjectCache } from './object-cache.js';
import type { CompFilter } from './filter.js';
import { answerFromIndex, answerFromIntervals, indexOnlyRange, planQuery, type IndexOnlyRange } from './planner.js';

/** A calendar object that matched, with its text when the query read it (null: decided by the index alone). */
export interface QueryMatch {
  readonly resource: Resource;
  readonly text: string | null;
}

/**
 * Verdicts without a parse (ObjectFilter.decide). With `fast` (the filter is a plain
 * VEVENT/VTODO time-range), span-exact objects are decided by their index columns, and events
 * whose precomputed intervals cover the range by those.
 */
async function decide(
  store: ObjectsReader,
  batch: readonly Resource[],
  fast: IndexOnlyRange | null,
  objects: ObjectCache,
): Promise<Map<number, boolean>> {
  const known = new Map<number, boolean>();
  if (!fast) return known;
  for (const r of batch) {
    const k = answerFromIndex(r, fast);
    if (k !== null) known.set(r.id, k);
  }
  if (fast.component === 'VEVENT') {
    // Intervals an earlier query read are the same while the etag is (object-cache.ts): only
    // the others are read, and kept — for the next query, and for the calendar-data of a match
    // (an expand or the busy time then reads its instances from them).
    const unread = new Map<number, Resource>();
    for (const r of batch) {
      if (known.has(r.id) || r.component !== 'VEVENT') continue;
      const kept = objects.keptIntervals(r);
      if (kept === undefined) unread.set(r.id, r);
      else if (kept) {
        const k = answerFromIntervals(kept, fast);
        if (k !== null) known.set(r.id, k);
      }
    }
    const read =
      unread.size > 0 ? await store.readEventIntervals([...unread.keys()]) : new Map<number, StoredIntervals>();
    for (const [id, r] of unread) {
      const stored = read.get(id) ?? null;
      objects.keepStoredIntervals(r, stored); // none is remembered too: not asked for again
      const k = stored ? answerFromIntervals(stored, fast) : null;
      if (k !== null) known.set(id, k);
    }
  }
  return known;
}

/**
 * The exact check of one object, evaluated in slices (domain/cooperative.ts): a long series does
 * not hold the event loop. With `objects`, parsed trees and VEVENT instance intervals come from
 * the object cache (object-cache.ts); the debug full scan passes none, so it checks them too.
 */
async function check(
  r: Resource,
  text: string,
  filter: CompFilter,
  floating: IcalTimezone | null,
  fast: IndexOnlyRange | null,
  objects: ObjectCache | null,
): Promise<boolean> {
  let root: IcalComponent | null;
  if (objects && fast?.component === 'VEVENT') {
    root = objects.tree(r, text);
    // VCALENDAR > VEVENT > time-range: exactly "some VEVENT instance overlaps" (§9.9). Too many
    // instances to list, or a series that began years before the range (listing walks it from
    // DTSTART): the evaluator below walks from near the range and stops at the first overlap.
    if (root && !beganLongBefore(root, fast.range.start, floating)) {
      const intervals = await runSliced(objects.eventIntervalsWork(r, text, floating, fast.range.end));
      if (intervals) return intervalsOverlap(intervals, fast.range);
    }
  } else if (objects) root = objects.tree(r, text);
  else {
    try {
      root = parseCalendar(text);
    } catch {
      root = null; // stored before validation existed, or by a plain WebDAV client: never matches
    }
  }
  return root !== null && (await runSliced(matchesFilterWork(root, filter, { floating })));
}

/**
 * RFC 4791 §7.8 calendar-query as an ObjectFilter (domain/object-filter.ts): the index narrows
 * the candidates by component type and first/last occurrence (planner), the filter is then
 * evaluated exactly on each candidate, except where the index alone is exact (a plain
 * time-range on a span-exact object, `indexOnlyRange`) or the precomputed intervals decide.
 */
export function calendarFilter(
  filter: CompFilter,
  floating: IcalTimezone | null,
  objects: ObjectCache,
  prefilter: Prefilter = storePrefilter,
): ObjectFilter {
  const plan = planQuery(filter);
  const fast = indexOnlyRange(filter);
  return {
    label: `calendar-query (plan ${JSON.stringify(plan)})`,
    candidates: async (store, collectionId) => (plan === 'none' ? [] : prefilter(store, collectionId, plan)),
    decide: (store, batch) => decide(store, batch, fast, objects),
    check: (r, text, cached) => check(r, text, filter, floating, fast, cached ? objects : null),
    keptText: (r) => objects.keptText(r),
  };
}

/**
 * The members of a calendar collection matching a filter (free-busy-query), with the texts the
 * query had to read to check them; those the index decided alone come without (the caller reads
 * what it still needs).
 */
export async function queryCalendar(
  store: ObjectsReader,
  collectionId: number,
  filter: CompFilter,
  floating: IcalTimezone | null,
  objects: ObjectCache,
  prefilter: Prefilter = storePrefilter,
): Promise<QueryMatch[]> {
  const { hits } = await queryObjects(store, collectionId, calendarFilter(filter, floating, objects, prefilter), {
    bodies: 'checked',
  });
  return hits.map((m) => ({ resource: m.resource, text: m.text }));
}
