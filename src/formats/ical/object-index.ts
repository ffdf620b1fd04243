import { seriesTextJson, seriesTextOf } from './expand.js';
import { ICAL, type IcalComponent } from './ical.js';
import { instancesOf, isOpenEnded, recurrenceSets, type Instance } from './instances.js';
import { eventInterval, eventIntervalsWork, eventSpan } from './time-range.js';
import { isFloating, toMs } from './time.js';
import { runNow, type Work } from './work.js';

/** Index columns of a calendar object (the store's prefilter; RFC 4791 §7.8 answers exactly). */
export interface CalendarIndex {
  readonly uid: string;
  readonly component: string;
  /** Earliest instant any instance may occupy; null = unbounded. */
  readonly firstStart: number | null;
  /** Latest instant any instance may occupy; null = open-ended. */
  readonly lastEnd: number | null;
  /** How many instances a bounded object has (Infinity: too many to count); null for an RRULE without end. */
  readonly instances: number | null;
  /**
   * [firstStart, lastEnd) is exactly the RFC 4791 §9.9 test of the object's one component:
   * it overlaps [start, end) ⇔ firstStart < end AND lastEnd > start (no slack; the inclusive
   * comparisons of §9.9 are encoded as ±1 ms). Only for one non-recurring VEVENT or VTODO whose
   * times are all absolute (UTC or a TZID of the object), never for floating times or dates.
   */
  readonly spanExact: boolean;
  /**
   * The VEVENT instances as `eventIntervals` triples (start, end, positive), computed once here
   * so that a plain VEVENT time-range query needs no parse: valid for every range ending at or
   * before `intervalsUntil` (null: the whole set). Only for objects whose times are all absolute
   * (then the floating zone of a query cannot change them) and with at most
   * MAX_STORED_INSTANCES instances; null otherwise.
   */
  readonly intervals: Float64Array | null;
  readonly intervalsUntil: number | null;
  /**
   * With stored intervals, the object's expansion made ready as JSON (expand.ts `SeriesText`,
   * `seriesTextJson`), so that no query parses it to expand it; null when it has none.
   */
  readonly seriesText: string | null;
}

/**
 * Most instances kept as precomputed intervals (24 bytes each: 96 KB at most). Enough for a
 * daily series of about eleven years — a stand-up held every day since long before the write,
 * or one whose open end is expanded to the horizon below — which a bound of 1,000 left to be
 * walked with ical.js by every query that met it (issue #20: one such series was a seventh of a
 * month query's time at 10,000 events).
 */
export const MAX_STORED_INSTANCES = 4_000;
/** How far past the later of its first instance and the write an open-ended series is expanded. */
export const INTERVAL_HORIZON_MS = 3 * 366 * 86_400_000;

const TIME_PROPS = ['dtstart', 'dtend', 'due', 'recurrence-id', 'rdate', 'exdate'];

/** Whether no time of the VEVENTs depends on a floating zone (no DATE, no floating DATE-TIME). */
function absoluteTimesOnly(root: IcalComponent): boolean {
  for (const c of root.getAllSubcomponents('vevent')) {
    for (const name of [...TIME_PROPS, 'rrule']) {
      for (const p of c.getAllProperties(name)) {
        for (const v of p.getValues()) {
          const times =
            v instanceof ICAL.Time
              ? [v]
              : v instanceof ICAL.Period
                ? [v.start, ...(v.end ? [v.end] : [])]
                : v instanceof ICAL.Recur
                  ? v.until
                    ? [v.until]
                    : []
                  : null;
          if (times === null) return false;
          if (times.some((t) => isFloating(t))) return false;
        }
      }
    }
  }
  return true;
}

/**
 * The precomputed VEVENT intervals of an object (see CalendarIndex.intervals). `walked`: the
 * triples of every instance, when the index's own walk already visited the whole set (a bounded
 * one of at most MAX_STORED_INSTANCES, in the order `eventIntervalsWork` yields them), so the
 * series is not walked a second time.
 */
function* precomputedIntervals(
  root: IcalComponent,
  instances: number | null,
  firstStart: number | null,
  now: number,
  walked: number[] | null,
): Work<{ intervals: Float64Array | null; intervalsUntil: number | null }> {
  const none = { intervals: null, intervalsUntil: null };
  if (!absoluteTimesOnly(root)) return none;
  const complete = instances !== null && Number.isFinite(instances) && instances <= MAX_STORED_INSTANCES;
  if (complete && walked !== null) return { intervals: Float64Array.from(walked), intervalsUntil: null };
  const until = complete ? null : Math.max(firstStart ?? now, now) + INTERVAL_HORIZON_MS;
  const intervals = yield* eventIntervalsWork(root, null, until, MAX_STORED_INSTANCES);
  return intervals ? { intervals, intervalsUntil: until } : none;
}

/** `walked` with the `count`th instance's interval added; null once there are too many to keep. */
function gathered(walked: number[] | null, inst: Instance, count: number): number[] | null {
  if (walked === null || count > MAX_STORED_INSTANCES) return null;
  const i = eventInterval(inst, null);
  if (i) walked.push(i.start, i.end, i.positive ? 1 : 0);
  return walked;
}

/**
 * Slack around indexed instants: floating times and dates are indexed as if UTC, and a query may
 * read them in any zone (UTC−12…UTC+14); inclusive comparisons of RFC 4791 §9.9 need one more ms.
 */
export const INDEX_SLACK_MS = 15 * 3600_000;
/** Most instances walked to find the end of a bounded recurrence; beyond it the end is open. */
const INDEX_STEPS = 20_000;

function span(inst: Instance): [number, number] | null {
  const c = inst.component;
  const ms = (name: string): number | null => {
    const v = c.getFirstPropertyValue(name);
    return v instanceof ICAL.Time ? toMs(v, null) : null;
  };
  switch (c.name) {
    case 'vtodo': {
      const start = inst.start ? toMs(inst.start, null) : null;
      const ownStart = ms('dtstart');
      const due = ms('due');
      const shiftedDue = due === null ? null : due + (start !== null && ownStart !== null ? start - ownStart : 0);
      const ev = eventSpan(inst, null);
      const points = [start, shiftedDue, ev && c.hasProperty('duration') ? ev.end : null].filter(
        (x): x is number => x !== null,
      );
      if (points.length > 0) return [Math.min(...points), Math.max(...points)];
      const completed = ms('completed');
      const created = ms('created');
      if (completed !== null)
        return [Math.min(completed, created ?? completed), Math.max(completed, created ?? completed)];
      if (created !== null) return [-Infinity, Infinity]; // "end > CREATED": any later range matches
      return null; // no dates: matches every range
    }
    case 'vfreebusy': {
      const s = ms('dtstart');
      const e = ms('dtend');
      if (s !== null && e !== null) return [s, e];
      const pts: number[] = [];
      for (const p of c.getAllProperties('freebusy')) {
        for (const v of p.getValues()) {
          const period = v as InstanceType<typeof ICAL.Period>;
          pts.push(toMs(period.start, null), toMs(period.getEnd(), null));
        }
      }
      return pts.length > 0 ? [Math.min(...pts), Math.max(...pts)] : null;
    }
    case 'vevent':
    case 'vjournal': {
      const e = eventSpan(inst, null);
      return e ? [e.start, Math.max(e.end, e.start + 86_400_000 * (inst.start?.isDate ? 1 : 0))] : null;
    }
    default:
      return null;
  }
}

const RECURRENCE_PROPS = ['rrule', 'rdate', 'exrule', 'exdate', 'recurrence-id'];

/**
 * The exact §9.9 bounds of a lone non-recurring VEVENT/VTODO, or null when there are none (a
 * recurrence, a floating time or date, a case whose test is not an interval overlap). Computed
 * with the same functions the evaluator uses (`eventSpan`, `toMs`), read with no floating zone
 * because none of the times read depends on one.
 */
function exactSpan(root: IcalComponent, name: string): [number, number] | null {
  if (name !== 'vevent' && name !== 'vtodo') return null;
  const comps = root.getAllSubcomponents(name);
  if (comps.length !== 1) return null;
  const c = comps[0] as IcalComponent;
  if (RECURRENCE_PROPS.some((p) => c.hasProperty(p))) return null;
  const times: Record<string, number | null> = {};
  for (const p of ['dtstart', 'dtend', 'due', 'completed', 'created']) {
    const props = c.getAllProperties(p);
    if (props.length > 1) return null;
    const v = props[0]?.getFirstValue();
    if (v === undefined || v === null) {
      times[p] = null;
      continue;
    }
    if (!(v instanceof ICAL.Time) || isFloating(v)) return null;
    const ms = toMs(v, null);
    if (!Number.isFinite(ms)) return null;
    times[p] = ms;
  }
  const start = times['dtstart'] ?? null;
  if (name === 'vevent') {
    if (start === null) return null;
    const inst: Instance = {
      component: c,
      recurrenceId: null,
      start: c.getFirstPropertyValue('dtstart') as never,
      shiftMs: 0,
    };
    const e = eventSpan(inst, null);
    if (!e || !Number.isFinite(e.end)) return null;
    // time-range.ts eventOverlaps: a positive span (DTEND, or DURATION > 0) is start < end AND
    // end' > start; otherwise start <= DTSTART AND end > DTSTART.
    const positive = c.hasProperty('dtend') || (c.hasProperty('duration') && e.end > e.start);
    return positive ? [e.start, e.end] : [e.start, e.start + 1];
  }
  // VTODO, the rows of the §9.9 table (time-range.ts todoOverlaps), [a, b] inclusive ⇒ [a−1, b+1].
  const due = times['due'] ?? null;
  const completed = times['completed'] ?? null;
  const created = times['created'] ?? null;
  const d = c.getFirstPropertyValue('duration');
  if (start !== null && d !== null && d !== undefined) {
    if (!(d instanceof ICAL.Duration)) return null;
    const inst: Instance = {
      component: c,
      recurrenceId: null,
      start: c.getFirstPropertyValue('dtstart') as never,
      shiftMs: 0,
    };
    const until = eventSpan(inst, null)?.end;
    if (until === undefined || !Number.isFinite(until) || until < start) return null;
    // start' <= until AND (end' > DTSTART OR end' >= until)
    return until > start ? [start, until + 1] : [start - 1, start + 1];
  }
  if (start !== null && due !== null) {
    // (start' < DUE OR start' <= DTSTART) AND (end' > DTSTART OR end' >= DUE)
    if (due > start) return [start, due];
    if (due === start) return [start - 1, start + 1];
    return null;
  }
  if (start !== null) return [start, start + 1]; // start' <= DTSTART AND end' > DTSTART
  if (due !== null) return [due - 1, due]; // start' < DUE AND end' >= DUE
  if (completed !== null) {
    // with CREATED: start' <= max AND end' >= min; alone: start' <= COMPLETED AND end' >= COMPLETED
    const lo = created === null ? completed : Math.min(created, completed);
    const hi = created === null ? completed : Math.max(created, completed);
    return [lo - 1, hi + 1];
  }
  return null; // CREATED only (end' > CREATED) or no dates: left to the evaluator
}

/** The main component (not VTIMEZONE) of a validated calendar object, with its index columns. */
export function indexCalendarObject(root: IcalComponent, component: string, now = Date.now()): CalendarIndex {
  return runNow(indexCalendarObjectWork(root, component, now));
}

/** `indexCalendarObject` as Work (work.ts): it pauses after every instance it walks. */
export function* indexCalendarObjectWork(
  root: IcalComponent,
  component: string,
  now = Date.now(),
): Work<CalendarIndex> {
  const name = component.toLowerCase();
  const exact = exactSpan(root, name);
  if (exact) {
    const uid = String(root.getFirstSubcomponent(name)?.getFirstPropertyValue('uid') ?? '');
    return {
      uid,
      component,
      firstStart: exact[0],
      lastEnd: exact[1],
      instances: 1,
      spanExact: true,
      intervals: null,
      intervalsUntil: null,
      seriesText: null,
    };
  }
  let first = Infinity;
  let last = -Infinity;
  let unbounded = false;
  let openEnded = false;
  let ruleOpen = false;
  let capped = false;
  let uid = '';
  let count = 0;
  // VEVENT intervals (eventIntervalsWork's triples), gathered on the way while they can be kept.
  let walked: number[] | null = name === 'vevent' ? [] : null;
  for (const set of recurrenceSets(root, name)) {
    uid = set.uid;
    if (isOpenEnded(set)) openEnded = ruleOpen = true;
    let steps = 0;
    for (const inst of instancesOf(set)) {
      yield;
      count += 1;
      walked = gathered(walked, inst, count);
      const s = span(inst);
      if (!s) unbounded = true;
      else {
        first = Math.min(first, s[0]);
        last = Math.max(last, s[1]);
      }
      if (!inst.expanded) continue;
      // An open-ended set is bounded below by its first instance; walking further adds nothing.
      if (openEnded) break;
      if (++steps > INDEX_STEPS) {
        openEnded = capped = true;
        break;
      }
    }
  }
  const instances = ruleOpen ? null : capped ? Infinity : count;
  const firstStart = unbounded || !Number.isFinite(first) ? null : first - INDEX_SLACK_MS;
  const intervals =
    name === 'vevent'
      ? yield* precomputedIntervals(root, instances, firstStart, now, ruleOpen ? null : walked)
      : { intervals: null, intervalsUntil: null };
  const series = intervals.intervals ? seriesTextOf(root) : null;
  const pre = { ...intervals, seriesText: series ? seriesTextJson(series) : null };
  if (unbounded || first === Infinity)
    return { uid, component, firstStart: null, lastEnd: null, instances, spanExact: false, ...pre };
  return {
    uid,
    component,
    instances,
    spanExact: false,
    firstStart,
    lastEnd: openEnded || !Number.isFinite(last) ? null : last + INDEX_SLACK_MS,
    ...pre,
  };
}
