/**
 * ical.js's test of a day against BYDAY (RFC 5545 §3.3.10), without the garbage it makes.
 *
 * A MONTHLY rule with BYDAY (BYDAY=4FR, -1SU, MO) is walked by ical.js day by day through each
 * month, and every day's test (`RecurIterator#is_day_in_byday`) parses each BYDAY value again
 * with a regular expression, and for an ordinal one calls `Time#nthWeekDay`, which clones the
 * Time (a new object through `fromData`, with its zone) only to read the weekday of the month's
 * first or last day. A 21-instance BYDAY=4FR series took ~20 ms to index (issue #20: one such
 * event cost as much as a hundred single ones).
 *
 * Both are replaced by the same arithmetic on numbers: `nthWeekDay` depends on the year, month,
 * weekday and position alone (the weekday from ical.js's own `dayOfWeek`, on a plain date), and
 * the parsed BYDAY values are kept per iterator rule (the `by_data.BYDAY` array, which ical.js
 * never changes after it sets it up; checked element by element anyway).
 */
import type ICALNamespace from 'ical.js';

type TimeClass = typeof ICALNamespace.Time;
type RecurIteratorClass = typeof ICALNamespace.RecurIterator;

interface DateParts {
  year: number;
  month: number;
  day: number;
}

interface TimeLike extends DateParts {
  dayOfWeek(): number;
  nthWeekDay(dow: number, pos: number): number;
}

interface IteratorLike {
  by_data: { BYDAY?: readonly string[] } | null;
  ruleDayOfWeek(value: string): [number, number];
}

interface ParsedByDay {
  readonly source: readonly string[];
  /** [position, weekday] pairs (weekday 1 = Sunday, as ical.js numbers them). */
  readonly parts: readonly (readonly [number, number])[];
}

const parsedByDay = new WeakMap<readonly string[], ParsedByDay>();

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function byDayOf(it: IteratorLike, values: readonly string[]): readonly (readonly [number, number])[] {
  const kept = parsedByDay.get(values);
  if (kept && sameValues(kept.source, values)) return kept.parts;
  const parts = values.map((v) => it.ruleDayOfWeek(v));
  parsedByDay.set(values, { source: [...values], parts });
  return parts;
}

let installed = false;

/** Replace `Time#nthWeekDay` and `RecurIterator#is_day_in_byday` (once per process). */
export function installOrdinalByDay(Time: TimeClass, RecurIterator: RecurIteratorClass): void {
  if (installed) return;
  installed = true;
  const dayOfWeek = Time.prototype.dayOfWeek as (this: DateParts) => number;
  Time.prototype.nthWeekDay = function nthWeekDay(this: DateParts, aDayOfWeek: number, aPos: number): number {
    if (aPos >= 0) {
      // The first such weekday of the month, then whole weeks on (0 and 1 both mean the first).
      const firstDow = dayOfWeek.call({ year: this.year, month: this.month, day: 1 });
      const first = 1 + ((aDayOfWeek - firstDow + 7) % 7);
      return first + (aPos === 0 ? 0 : aPos - 1) * 7;
    }
    // The last such weekday of the month, then whole weeks back.
    const days = Time.daysInMonth(this.month, this.year);
    const lastDow = dayOfWeek.call({ year: this.year, month: this.month, day: days });
    const last = days - ((lastDow - aDayOfWeek + 7) % 7);
    return last + (aPos + 1) * 7;
  } as never;
  RecurIterator.prototype.is_day_in_byday = function isDayInByDay(this: IteratorLike, tt: TimeLike): number {
    const values = this.by_data?.BYDAY;
    if (!values) return 0;
    const thisDow = tt.dayOfWeek();
    for (const [pos, dow] of byDayOf(this, values)) {
      if ((pos === 0 && dow === thisDow) || tt.nthWeekDay(dow, pos) === tt.day) return 1;
    }
    return 0;
  } as never;
}
