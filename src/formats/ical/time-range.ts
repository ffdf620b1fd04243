import { ICAL, type IcalComponent, type IcalDuration, type IcalTimezone } from './ical.js';
import { instancesOf, recurrenceSets, type Instance } from './instances.js';
import { toMs, isFloating } from './time.js';
import { runNow, type Work } from './work.js';

/** A time range in ms; null = -infinity / +infinity (RFC 4791 §9.9). */
export interface TimeRange {
  readonly start: number | null;
  readonly end: number | null;
}

const lo = (r: TimeRange): number => r.start ?? -Infinity;
const hi = (r: TimeRange): number => r.end ?? Infinity;

function durationOf(c: IcalComponent): IcalDuration | null {
  const v = c.getFirstPropertyValue('duration');
  return v instanceof ICAL.Duration ? v : null;
}

function timeMs(c: IcalComponent, name: string, floating: IcalTimezone | null): number | null {
  const v = c.getFirstPropertyValue(name);
  return v instanceof ICAL.Time ? toMs(v, floating) : null;
}

/**
 * The instance's start plus a duration (RFC 5545 §3.3.6): weeks and days are nominal (the same
 * wall-clock time so many days later, in the start's zone), hours, minutes and seconds exact (added
 * to the instant). Computed in O(1): ical.js's addDuration puts the hours on the wall clock and
 * normalises the overflow a step at a time, which cost ~0.4 s per instance for
 * DURATION:PT4294967296H (a year's free-busy over one daily event took 45 s).
 */
function plusDuration(inst: Instance, d: IcalDuration, floating: IcalTimezone | null): number {
  const s = inst.start;
  if (!s) return NaN;
  const sign = d.isNegative ? -1 : 1;
  const days = sign * (d.weeks * 7 + d.days);
  const exactMs = sign * (d.hours * 3_600 + d.minutes * 60 + d.seconds) * 1000;
  if (days === 0) return toMs(s, floating) + exactMs;
  const wall = new Date(Date.UTC(s.year, s.month - 1, s.day + days, s.hour, s.minute, s.second));
  if (Number.isNaN(wall.getTime())) return NaN;
  const t = s.clone();
  t.resetTo(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), s.hour, s.minute, s.second, s.zone);
  t.isDate = s.isDate;
  return toMs(t, floating) + exactMs;
}

const P1D = ICAL.Duration.fromString('P1D');

/** Effective [start, end) of a VEVENT (or AVAILABLE/VAVAILABILITY) instance (RFC 4791 §9.9). */
export function eventSpan(inst: Instance, floating: IcalTimezone | null): { start: number; end: number } | null {
  const c = inst.component;
  const s = inst.start;
  if (!s) return null;
  const start = toMs(s, floating);
  if (inst.end) return { start, end: toMs(inst.end, floating) };
  const dtstart = timeMs(c, 'dtstart', floating);
  const dtend = timeMs(c, 'dtend', floating);
  if (dtend !== null && dtstart !== null) return { start, end: start + (dtend - dtstart) };
  const d = durationOf(c);
  if (d) return { start, end: plusDuration(inst, d, floating) };
  if (s.isDate) return { start, end: plusDuration(inst, P1D, floating) };
  return { start, end: start };
}

/**
 * What §9.9 tests of a VEVENT instance: its span and whether it has a positive duration (then
 * "overlaps" is start < end AND end > start; else the zero-length rule start <= DTSTART < end).
 */
export interface EventInterval {
  readonly start: number;
  readonly end: number;
  readonly positive: boolean;
}

export function eventInterval(inst: Instance, floating: IcalTimezone | null): EventInterval | null {
  const span = eventSpan(inst, floating);
  if (!span) return null;
  const c = inst.component;
  const positive =
    inst.end !== undefined ||
    c.hasProperty('dtend') ||
    (c.hasProperty('duration') ? span.end > span.start : inst.start?.isDate === true);
  return { start: span.start, end: span.end, positive };
}

/** §9.9 for an event interval against a range. */
export function intervalOverlaps(start: number, end: number, positive: boolean, r: TimeRange): boolean {
  if (positive) return lo(r) < end && hi(r) > start;
  return lo(r) <= start && hi(r) > start;
}

function eventOverlaps(inst: Instance, r: TimeRange, floating: IcalTimezone | null): boolean {
  const i = eventInterval(inst, floating);
  return i !== null && intervalOverlaps(i.start, i.end, i.positive, r);
}

/**
 * Every VEVENT instance of a VCALENDAR as flat (start, end, positive 0|1) triples, in the order
 * `instancesOf` yields them with `until`. For a filter `VCALENDAR > VEVENT > time-range` whose
 * range ends at `until`, the object matches iff some triple overlaps the range
 * (interval-index.ts `intervalsOverlap`) — the same instances `matchesFilter` visits, so the same answer.
 */
export function eventIntervals(root: IcalComponent, floating: IcalTimezone | null, until: number | null): Float64Array {
  return runNow(eventIntervalsWork(root, floating, until, Infinity)) as Float64Array;
}

/** `eventIntervals`, or null once there are more than `max` instances; as Work (work.ts), it pauses after every instance. */
export function* eventIntervalsWork(
  root: IcalComponent,
  floating: IcalTimezone | null,
  until: number | null,
  max: number,
): Work<Float64Array | null> {
  const out: number[] = [];
  for (const set of recurrenceSets(root, 'vevent')) {
    for (const inst of instancesOf(set, { floating, until })) {
      const i = eventInterval(inst, floating);
      if (i) out.push(i.start, i.end, i.positive ? 1 : 0);
      if (out.length > max * 3) return null;
      yield;
    }
  }
  return Float64Array.from(out);
}

/** The VTODO table of RFC 4791 §9.9, row by row. */
function todoOverlaps(inst: Instance, r: TimeRange, floating: IcalTimezone | null): boolean {
  const c = inst.component;
  const start = lo(r);
  const end = hi(r);
  const dtstart = inst.start ? toMs(inst.start, floating) : null;
  const ownStart = timeMs(c, 'dtstart', floating);
  const dueOwn = timeMs(c, 'due', floating);
  const due =
    dueOwn === null ? null : dueOwn + (dtstart !== null && ownStart !== null ? dtstart - ownStart : inst.shiftMs);
  const d = durationOf(c);
  const completed = timeMs(c, 'completed', floating);
  const created = timeMs(c, 'created', floating);
  if (dtstart !== null && d) {
    const until = plusDuration(inst, d, floating);
    return start <= until && (end > dtstart || end >= until);
  }
  if (dtstart !== null && due !== null) return (start < due || start <= dtstart) && (end > dtstart || end >= due);
  if (dtstart !== null) return start <= dtstart && end > dtstart;
  if (due !== null) return start < due && end >= due;
  if (completed !== null && created !== null) {
    return (start <= created || start <= completed) && (end >= created || end >= completed);
  }
  if (completed !== null) return start <= completed && end >= completed;
  if (created !== null) return end > created;
  return true;
}

function journalOverlaps(inst: Instance, r: TimeRange, floating: IcalTimezone | null): boolean {
  const s = inst.start;
  if (!s) return false;
  const start = toMs(s, floating);
  if (!s.isDate) return lo(r) <= start && hi(r) > start;
  return lo(r) < plusDuration(inst, P1D, floating) && hi(r) > start;
}

/** VFREEBUSY (RFC 4791 §9.9): DTSTART/DTEND, else each FREEBUSY period. */
export function freebusyOverlaps(c: IcalComponent, r: TimeRange, floating: IcalTimezone | null): boolean {
  const s = timeMs(c, 'dtstart', floating);
  const e = timeMs(c, 'dtend', floating);
  if (s !== null && e !== null) return lo(r) <= e && hi(r) > s;
  for (const p of c.getAllProperties('freebusy')) {
    for (const v of p.getValues()) {
      const period = v as InstanceType<typeof ICAL.Period>;
      const ps = toMs(period.start, floating);
      const pe = toMs(period.getEnd(), floating);
      if (lo(r) < pe && hi(r) > ps) return true;
    }
  }
  return false;
}

/** Whether one instance of a VEVENT, VTODO, VJOURNAL or AVAILABLE overlaps the range. */
export function instanceOverlaps(inst: Instance, r: TimeRange, floating: IcalTimezone | null): boolean {
  switch (inst.component.name) {
    case 'vtodo':
      return todoOverlaps(inst, r, floating);
    case 'vjournal':
      return journalOverlaps(inst, r, floating);
    default:
      return eventOverlaps(inst, r, floating);
  }
}

/** A date or date-time property value against a range: (start <= value) AND (end > value). */
export function valueOverlaps(value: unknown, r: TimeRange, floating: IcalTimezone | null): boolean {
  if (value instanceof ICAL.Time) {
    const t = toMs(value, floating);
    if (value.isDate && isFloating(value)) {
      const next = value.clone();
      next.addDuration(P1D);
      return lo(r) < toMs(next, floating) && hi(r) > t;
    }
    return lo(r) <= t && hi(r) > t;
  }
  if (value instanceof ICAL.Period) {
    return lo(r) < toMs(value.getEnd(), floating) && hi(r) > toMs(value.start, floating);
  }
  return false;
}
