/**
 * Expected answers, computed from the generated data alone: never from the server's code.
 * Recurrence comes from generator.ts's own small RRULE subset (ruleInstances), time zones from
 * Intl (tz.ts). Every instance of the data set is listed once, sorted by start, so that each of
 * the many distinct query windows is answered by a binary search.
 */
import { ruleInstances, type DataSet, type GenContact, type GenEvent } from './generator.js';
import { addDays, toUtc, wallMs, fromWallMs, type Local } from './tz.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

interface Instance {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** A UTC window [start, end). */
export interface Window {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

function timed(e: GenEvent, startWall: Local, durationMin: number): Instance {
  const start = toUtc(startWall, e.zone);
  return { name: e.name, start, end: toUtc(fromWallMs(wallMs(startWall) + durationMin * MIN), e.zone) };
}

/** Every instance of the event that could touch [.., horizon), overrides and EXDATEs applied. */
function instances(e: GenEvent, horizon: number): Instance[] {
  if (e.kind === 'allday') {
    const start = wallMs(e.start);
    return [{ name: e.name, start, end: start + e.days * DAY }];
  }
  if (!e.rule) return [timed(e, e.start, e.durationMin)];
  const excluded = new Set(e.exdates.map(wallMs));
  const moved = new Map(e.overrides.map((o) => [wallMs(o.recurrenceId), o]));
  const out: Instance[] = [];
  for (const t of ruleInstances(e.rule, e.start, e.zone)) {
    const w = wallMs(t);
    if (toUtc(t, e.zone) > horizon + 3 * DAY) break; // overrides move instances by at most two days
    if (excluded.has(w)) continue;
    const o = moved.get(w);
    out.push(o ? timed(e, o.start, o.durationMin) : timed(e, t, e.durationMin));
  }
  return out;
}

/** Every instance of the data set up to the end of its span (plus a margin), sorted by start. */
interface InstanceIndex {
  readonly all: readonly Instance[];
  /** The longest instance: a window need look back no further than this. */
  readonly longest: number;
}

const indexes = new WeakMap<DataSet, InstanceIndex>();

function indexOf(ds: DataSet): InstanceIndex {
  let ix = indexes.get(ds);
  if (!ix) {
    const horizon = wallMs(addDays(ds.spanStart, ds.spanDays + 62));
    const all = ds.events.flatMap((e) => instances(e, horizon)).sort((a, b) => a.start - b.start);
    ix = { all, longest: all.reduce((m, i) => Math.max(m, i.end - i.start), 0) };
    indexes.set(ds, ix);
  }
  return ix;
}

/** RFC 4791 §9.9: an instance overlaps [A, B) when start < B and end > A. */
function overlapping(ds: DataSet, w: Window): Instance[] {
  const { all, longest } = indexOf(ds);
  let lo = 0;
  let hi = all.length;
  const from = w.start - longest;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Instance[] = [];
  for (let i = lo; i < all.length && all[i]!.start < w.end; i++) if (all[i]!.end > w.start) out.push(all[i]!);
  return out;
}

export function expectedQuery(ds: DataSet, w: Window): Set<string> {
  return new Set(overlapping(ds, w).map((i) => i.name));
}

/** Name → sorted UTC starts of the instances an expanded answer must hold. */
export function expectedExpand(ds: DataSet, w: Window): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const i of overlapping(ds, w)) {
    const starts = out.get(i.name);
    if (starts) starts.push(i.start);
    else out.set(i.name, [i.start]);
  }
  for (const starts of out.values()) starts.sort((a, b) => a - b);
  return out;
}

/**
 * RFC 4791 §7.10: the busy time in the window, as merged [start, end) periods clipped to it
 * (every generated event is OPAQUE and CONFIRMED by default, so all of it is BUSY).
 */
export function expectedBusy(ds: DataSet, w: Window): Array<[number, number]> {
  return mergePeriods(
    overlapping(ds, w).map((i): [number, number] => [Math.max(i.start, w.start), Math.min(i.end, w.end)]),
  );
}

/** Sorted, merged periods (touching periods join). */
export function mergePeriods(periods: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...periods].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** CardDAV text-match `contains` with i;unicode-casemap on ASCII data: a case-insensitive substring. */
export function expectedFnContains(contacts: readonly GenContact[], term: string): Set<string> {
  const t = term.toLowerCase();
  return new Set(contacts.filter((c) => c.fn.toLowerCase().includes(t)).map((c) => c.name));
}

/**
 * `n` distinct windows of `days` days spread over the calendar's span, each starting at a
 * different hour: no two requests of a phase ask the same question.
 */
export function spreadWindows(ds: DataSet, n: number, days: number, salt = 0): Window[] {
  const first = Date.UTC(ds.spanStart.y, ds.spanStart.m - 1, ds.spanStart.d);
  const hours = Math.max(1, (ds.spanDays - days - 1) * 24);
  const step = Math.max(1, Math.floor(hours / Math.max(1, n)));
  return Array.from({ length: Math.min(n, hours) }, (_, k) => {
    const start = first + (((k * step + salt) % hours) + 0) * HOUR;
    return { label: new Date(start).toISOString().slice(0, 13), start, end: start + days * DAY };
  });
}

/** Query windows of a month (30 days), one per request. */
export function monthWindows(ds: DataSet, n: number): Window[] {
  return spreadWindows(ds, n, 30);
}

/** Query windows of a week, one per request. */
export function weekWindows(ds: DataSet, n: number): Window[] {
  return spreadWindows(ds, n, 7, 5);
}

/** FN search terms: the vocabulary makes each match a small, size-proportional share. */
export const FN_TERMS = ['ekholm', 'STENQV', 'orford', 'Clara Ro'];
