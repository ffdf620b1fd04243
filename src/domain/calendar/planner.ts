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
  const required = filter.compFilters.filter((c) => !c.isNotDefined && c.name !== 'VTIMEZONE' && !c.name.startsWith('X-'));
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
