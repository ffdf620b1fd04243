import { intervalsOverlap } from '../../formats/ical/interval-index.js';
import type { TimeRange } from '../../formats/ical/time-range.js';
import type { StoredIntervals } from '../../store/types.js';
import type { CompFilter } from './filter.js';

/** What the store's index can answer (Store.queryObjects). */
export interface IndexQuery {
  readonly component?: string;
  readonly rangeStart?: number;
  readonly rangeEnd?: number;
  readonly uid?: string;
}

/**
 * Derive the index prefilter of a calendar-query (the exact filter runs afterwards): the main
 * component type a VCALENDAR child comp-filter requires, and that comp-filter's time-range
 * (the index holds each object's first and last occupied instant). 'none' = nothing can match.
 */
export function planQuery(filter: CompFilter): IndexQuery | 'none' {
  if (filter.name !== 'VCALENDAR' || filter.isNotDefined) return 'none';
  const required = filter.compFilters.filter(
    (c) => !c.isNotDefined && c.name !== 'VTIMEZONE' && !c.name.startsWith('X-'),
  );
  const names = new Set(required.map((c) => c.name));
  if (names.size > 1) return 'none'; // one component type per object (RFC 4791 §4.1)
  const first = required[0];
  if (!first) return {};
  let start: number | undefined;
  let end: number | undefined;
  for (const c of required) {
    if (c.timeRange?.start != null) start = Math.max(start ?? -Infinity, c.timeRange.start);
    if (c.timeRange?.end != null) end = Math.min(end ?? Infinity, c.timeRange.end);
  }
  return {
    component: first.name,
    ...(start !== undefined ? { rangeStart: start } : {}),
    ...(end !== undefined ? { rangeEnd: end } : {}),
  };
}

/** A filter the index answers alone for span-exact objects (Resource.spanExact). */
export interface IndexOnlyRange {
  readonly component: 'VEVENT' | 'VTODO';
  readonly range: TimeRange;
}

/**
 * The most common client query, `comp-filter VCALENDAR > comp-filter VEVENT|VTODO > time-range`
 * and nothing else: for an object whose index span is exact (one non-recurring component, no
 * floating time) the §9.9 answer is `firstStart < end AND lastEnd > start`, no parse needed.
 * Null for any other shape (prop-filters, nested comp-filters, is-not-defined, several children).
 */
export function indexOnlyRange(filter: CompFilter): IndexOnlyRange | null {
  if (filter.name !== 'VCALENDAR' || filter.isNotDefined || filter.timeRange || filter.propFilters.length > 0)
    return null;
  if (filter.compFilters.length !== 1) return null;
  const c = filter.compFilters[0] as CompFilter;
  if (c.name !== 'VEVENT' && c.name !== 'VTODO') return null;
  if (c.isNotDefined || !c.timeRange || c.propFilters.length > 0 || c.compFilters.length > 0) return null;
  return { component: c.name, range: c.timeRange };
}

/** The index answer for a span-exact resource; null when the resource is not span-exact for `q`. */
export function answerFromIndex(
  r: {
    readonly spanExact: boolean;
    readonly component: string | null;
    readonly firstStart: number | null;
    readonly lastEnd: number | null;
  },
  q: IndexOnlyRange,
): boolean | null {
  if (!r.spanExact || r.component !== q.component) return null;
  return (
    (r.firstStart ?? -Infinity) < (q.range.end ?? Infinity) && (r.lastEnd ?? Infinity) > (q.range.start ?? -Infinity)
  );
}

/**
 * The same query answered from an object's precomputed VEVENT intervals (object-index.ts
 * `intervals`, kept by the store), or null when they do not cover the range: the triples are
 * exactly what the evaluator's `eventIntervals` yields up to `until`, and instances starting
 * after the range's end cannot overlap it, so any range ending by `until` is decided by them.
 */
export function answerFromIntervals(stored: StoredIntervals, q: IndexOnlyRange): boolean | null {
  if (q.component !== 'VEVENT') return null;
  if (stored.until !== null && (q.range.end === null || q.range.end > stored.until)) return null;
  return intervalsOverlap(stored.intervals, q.range);
}
