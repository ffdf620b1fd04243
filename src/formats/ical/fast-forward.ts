/**
 * Where a long daily or weekly series may be walked from when only its instances that end at or
 * after some instant matter (a time-range, an expansion, a free-busy window). ical.js can only
 * step a rule forward from DTSTART, about 50 µs an instance: a daily event since 1900 cost 2.5 s
 * for every query of 2024, whatever its range. A DAILY or WEEKLY rule repeats exactly every
 * INTERVAL days or weeks in the local time of DTSTART (RFC 5545 §3.3.10), so walking it from
 * DTSTART moved forward by whole repeats yields the same instances — except in the first repeat,
 * which a walk from mid-pattern may get wrong both ways (DTSTART always counts as an instance,
 * §3.8.5.3, and earlier days of its week are missed). That repeat is dropped: it ends well
 * before the instant asked for.
 */
import { ICAL, type IcalComponent, type IcalRecur, type IcalTime, type IcalTimezone } from './ical.js';
import { toMs } from './time.js';

const DAY_MS = 86_400_000;

export interface FastForward {
  /** The DTSTART to walk the rule from. */
  readonly start: IcalTime;
  /** Instances whose RECURRENCE-ID key (recurrenceKey) lies before this are not to be trusted: skip them. */
  readonly exactFrom: number;
}

/** The longest an instance of `master` lasts (DTEND, DUE or DURATION against DTSTART), in ms; null if unknown. */
function longestMs(master: IcalComponent, dtstart: IcalTime, floating: IcalTimezone | null): number | null {
  const start = toMs(dtstart, floating);
  let longest = 0;
  for (const name of ['dtend', 'due']) {
    const v = master.getFirstPropertyValue(name);
    if (v instanceof ICAL.Time) longest = Math.max(longest, toMs(v, floating) - start);
  }
  const d = master.getFirstPropertyValue('duration');
  if (d instanceof ICAL.Duration) longest = Math.max(longest, d.toSeconds() * 1000);
  return Number.isFinite(longest) ? longest : null;
}

/**
 * A later start for walking `master`'s rule when instances ending before `from` (ms) are not
 * needed, or null when the rule is not one that repeats exactly (only one RRULE, FREQ=DAILY or
 * WEEKLY, no COUNT, no EXRULE) or there is little to skip.
 */
export function fastForward(
  master: IcalComponent,
  dtstart: IcalTime,
  from: number,
  floating: IcalTimezone | null,
): FastForward | null {
  const rules = master.getAllProperties('rrule');
  if (rules.length !== 1 || master.hasProperty('exrule')) return null;
  const recur = rules[0]!.getFirstValue() as IcalRecur;
  if (recur.count) return null;
  const unit = recur.freq === 'DAILY' ? 1 : recur.freq === 'WEEKLY' ? 7 : 0;
  if (unit === 0) return null;
  const repeatDays = unit * Math.max(1, recur.interval || 1);
  const longest = longestMs(master, dtstart, floating);
  if (longest === null) return null;
  // The dropped first repeat, the longest instance and two days for time zones and DST must all
  // end before `from`.
  const margin = longest + (repeatDays + 2) * DAY_MS;
  const repeats = Math.floor((from - margin - toMs(dtstart, floating)) / (repeatDays * DAY_MS));
  if (!(repeats >= 2)) return null;
  const start = dtstart.clone();
  start.adjust(repeats * repeatDays, 0, 0, 0);
  const exact = start.clone();
  exact.adjust(repeatDays, 0, 0, 0);
  return { start, exactFrom: toMs(exact, null) };
}

/**
 * Whether some VEVENT series of `root` began so long before `from` that walking it from DTSTART
 * (to list every instance) costs far more than walking it from near `from` (more than a year of
 * repeats to skip): then its instances are not listed, and the evaluator walks it from there.
 */
export function beganLongBefore(root: IcalComponent, from: number | null, floating: IcalTimezone | null): boolean {
  if (from === null) return false;
  for (const master of root.getAllSubcomponents('vevent')) {
    if (master.hasProperty('recurrence-id') || !master.hasProperty('rrule')) continue;
    const dtstart = master.getFirstPropertyValue('dtstart');
    if (!(dtstart instanceof ICAL.Time)) continue;
    const skip = fastForward(master, dtstart, from, floating);
    if (skip && toMs(skip.start, floating) - toMs(dtstart, floating) > 366 * DAY_MS) return true;
  }
  return false;
}
