/**
 * Expected answers, computed from the generated data alone: never from the server's code.
 * Recurrence comes from generator.ts's own small RRULE subset (ruleInstances), time zones from
 * Intl (tz.ts).
 */
import { ruleInstances, type DataSet, type GenContact, type GenEvent } from './generator.js';
import { addDays, toUtc, wallMs, fromWallMs, type Local } from './tz.js';

const MIN = 60_000;
const DAY = 86_400_000;

interface Instance {
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
  return { start, end: toUtc(fromWallMs(wallMs(startWall) + durationMin * MIN), e.zone) };
}

/** Every instance of the event that could touch [.., horizon), overrides and EXDATEs applied. */
function instances(e: GenEvent, horizon: number): Instance[] {
  if (e.kind === 'allday') {
    const start = wallMs(e.start);
    return [{ start, end: start + e.days * DAY }];
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

/** RFC 4791 §9.9: an instance overlaps [A, B) when start < B and end > A. */
function overlapping(e: GenEvent, w: Window): Instance[] {
  return instances(e, w.end).filter((i) => i.start < w.end && i.end > w.start);
}

export function expectedQuery(ds: DataSet, w: Window): Set<string> {
  const names = new Set<string>();
  for (const e of ds.events) if (overlapping(e, w).length > 0) names.add(e.name);
  return names;
}

/** Name → sorted UTC starts of the instances an expanded answer must hold. */
export function expectedExpand(ds: DataSet, w: Window): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of ds.events) {
    const hits = overlapping(e, w);
    if (hits.length > 0)
      out.set(
        e.name,
        hits.map((i) => i.start).sort((a, b) => a - b),
      );
  }
  return out;
}

/** CardDAV text-match `contains` with i;unicode-casemap on ASCII data: a case-insensitive substring. */
export function expectedFnContains(contacts: readonly GenContact[], term: string): Set<string> {
  const t = term.toLowerCase();
  return new Set(contacts.filter((c) => c.fn.toLowerCase().includes(t)).map((c) => c.name));
}

/** Query windows at fixed fractions of the calendar's span: whole UTC months and Monday weeks. */
export function monthWindows(ds: DataSet): Window[] {
  return [0.3, 0.5, 0.7].map((f) => {
    const t = addDays(ds.spanStart, Math.floor(ds.spanDays * f));
    const start = Date.UTC(t.y, t.m - 1, 1);
    const end = Date.UTC(t.y, t.m, 1);
    return { label: `${t.y}-${String(t.m).padStart(2, '0')}`, start, end };
  });
}

export function weekWindows(ds: DataSet): Window[] {
  return [0.35, 0.55, 0.75].map((f) => {
    const t = addDays(ds.spanStart, Math.floor(ds.spanDays * f));
    const day = Date.UTC(t.y, t.m - 1, t.d);
    const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
    return { label: new Date(monday).toISOString().slice(0, 10), start: monday, end: monday + 7 * DAY };
  });
}

/** FN search terms: the vocabulary makes each match a small, size-proportional share. */
export const FN_TERMS = ['ekholm', 'STENQV', 'orford', 'Clara Ro'];
