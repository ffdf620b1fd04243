import type { IcalComponent, IcalTimezone } from '../../formats/ical/ical.js';
import { parseCalendar } from '../../formats/ical/parse.js';
import type { StoreReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { intervalsOverlap } from '../../formats/ical/time-range.js';
import { runSliced, yieldIfDue } from '../cooperative.js';
import { matchesFilterWork } from './evaluate.js';
import { cachedEventIntervalsWork, cachedTree } from './object-cache.js';
import type { CompFilter } from './filter.js';
import { answerFromIndex, answerFromIntervals, indexOnlyRange, planQuery, type IndexOnlyRange } from './planner.js';

/** A calendar object that matched, with its text (read once) for calendar-data. */
export interface QueryMatch {
  readonly resource: Resource;
  readonly text: string;
}

/** A match whose text was not read, because the caller said it does not need it. */
export interface QueryHit {
  readonly resource: Resource;
  readonly text: string | null;
}

/** Which matches the caller needs no text for (their answer is already rendered). */
export type SkipText = (r: Resource) => boolean;

const NEVER_SKIP: SkipText = () => false;

/** ALMANAC_DEBUG_QUERY=1: answer every query twice (index-prefiltered and full scan) and compare. */
export function debugQueries(): boolean {
  return process.env.ALMANAC_DEBUG_QUERY === '1';
}

export class PlannerMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlannerMismatch';
  }
}

const decoder = new TextDecoder();

/** Candidate bodies are read this many per query (one round trip each, bounded memory). */
const BODY_BATCH = 200;

/**
 * The matches among candidates. With `fast` (the filter is a plain VEVENT/VTODO time-range),
 * span-exact candidates are decided from their index columns and never parsed; with `cached`
 * too, so are events whose precomputed intervals cover the range. With `cached`,
 * parsed trees and VEVENT instance intervals come from the object cache (object-cache.ts);
 * the ALMANAC_DEBUG_QUERY full scan passes false, so it checks the cached path too.
 */
async function evaluate(
  store: StoreReader, candidates: readonly Resource[], filter: CompFilter, floating: IcalTimezone | null, fast: IndexOnlyRange | null,
  cached: boolean, skipText: SkipText = NEVER_SKIP,
): Promise<QueryHit[]> {
  const out: QueryHit[] = [];
  for (let i = 0; i < candidates.length; i += BODY_BATCH) {
    const batch = candidates.slice(i, i + BODY_BATCH);
    // Decided without a parse: span-exact objects by their index columns, recurring events by
    // their precomputed intervals; only matches and undecided objects have their bodies read.
    const known = new Map<number, boolean>();
    if (fast) {
      for (const r of batch) {
        const k = answerFromIndex(r, fast);
        if (k !== null) known.set(r.id, k);
      }
      if (cached && fast.component === 'VEVENT') {
        const open = batch.filter((r) => !known.has(r.id) && r.component === 'VEVENT');
        for (const [id, stored] of await store.readEventIntervals(open.map((r) => r.id))) {
          const k = answerFromIntervals(stored, fast);
          if (k !== null) known.set(id, k);
        }
      }
    }
    // Known matches the caller has rendered already need no body at all.
    const textless = new Set(batch.filter((r) => known.get(r.id) === true && skipText(r)).map((r) => r.id));
    const wanted = batch.filter((r) => known.get(r.id) !== false && !textless.has(r.id));
    const bodies = await store.readBodies(wanted.map((r) => r.id));
    for (const r of batch) {
      if (known.get(r.id) === false) continue;
      if (textless.has(r.id)) {
        out.push({ resource: r, text: null });
        continue;
      }
      const body = bodies.get(r.id);
      if (body === undefined) continue; // deleted since the prefilter
      const text = decoder.decode(body);
      if (known.get(r.id) === true) out.push({ resource: r, text });
      else await evaluateOne(r, text, filter, floating, fast, cached, out);
      await yieldIfDue();
    }
  }
  return out;
}

/** One candidate, evaluated in slices (domain/cooperative.ts): a long series does not hold the event loop. */
async function evaluateOne(
  r: Resource, text: string, filter: CompFilter, floating: IcalTimezone | null, fast: IndexOnlyRange | null, cached: boolean,
  out: QueryHit[],
): Promise<void> {
  if (cached && fast?.component === 'VEVENT') {
    // VCALENDAR > VEVENT > time-range: exactly "some VEVENT instance overlaps" (§9.9). Too many
    // instances to list: the evaluator below stops at the first that overlaps.
    const intervals = await runSliced(cachedEventIntervalsWork(r, text, floating, fast.range.end));
    if (intervals) {
      if (intervalsOverlap(intervals, fast.range)) out.push({ resource: r, text });
      return;
    }
  }
  let root: IcalComponent | null;
  if (cached) root = cachedTree(r, text);
  else {
    try {
      root = parseCalendar(text);
    } catch {
      root = null; // stored before validation existed, or by a plain WebDAV client: never matches
    }
  }
  if (root && await runSliced(matchesFilterWork(root, filter, { floating }))) out.push({ resource: r, text });
}

/**
 * RFC 4791 §7.8: the members of a calendar collection matching a filter. The index narrows the
 * candidates (planner), the filter is then evaluated exactly on each candidate, except where the
 * index alone is exact (a plain time-range on a span-exact object, `indexOnlyRange`).
 */
export async function queryCalendar(store: StoreReader, collectionId: number, filter: CompFilter, floating: IcalTimezone | null): Promise<QueryMatch[]> {
  return (await queryCalendarHits(store, collectionId, filter, floating, NEVER_SKIP)).map((m) => ({ resource: m.resource, text: m.text ?? '' }));
}

/**
 * queryCalendar, except that a match for which `skipText` says so may come without its text
 * (its body is not read when the index or the precomputed intervals decided it).
 */
export async function queryCalendarHits(
  store: StoreReader, collectionId: number, filter: CompFilter, floating: IcalTimezone | null, skipText: SkipText,
): Promise<QueryHit[]> {
  const plan = planQuery(filter);
  const candidates = plan === 'none' ? [] : await store.queryObjects(collectionId, plan);
  const matches = await evaluate(store, candidates, filter, floating, indexOnlyRange(filter), true, skipText);
  if (debugQueries()) {
    // The full scan parses every member (no index answer, no object cache), so it checks both.
    const all = (await store.listChildren(collectionId)).filter((r) => !r.isCollection);
    const full = await evaluate(store, all, filter, floating, null, false);
    const a = matches.map((m) => m.resource.path).join('\n');
    const b = full.map((m) => m.resource.path).join('\n');
    if (a !== b) {
      throw new PlannerMismatch(`calendar-query: index path found [${a.replace(/\n/g, ', ')}], full scan [${b.replace(/\n/g, ', ')}] (plan ${JSON.stringify(plan)})`);
    }
  }
  return matches;
}

/** Evaluate a filter against one object (calendar-query on an object resource, Depth 0). */
export async function objectMatches(store: StoreReader, r: Resource, filter: CompFilter, floating: IcalTimezone | null): Promise<QueryMatch | null> {
  const hit = (await evaluate(store, [r], filter, floating, indexOnlyRange(filter), true))[0];
  return hit ? { resource: hit.resource, text: hit.text ?? '' } : null;
}
