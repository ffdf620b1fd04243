import { dateInput, dateTimeInput, parseInput, wallFromMs, wallMs } from '../../../src/formats/ical/edit-time.js';

/**
 * Date arithmetic on the editor's input values (`YYYY-MM-DD` and `YYYY-MM-DDTHH:mm`, wall clock).
 *
 * An all-day event's DTEND is exclusive (RFC 5545 §3.6.1: an event on 22–24 December has
 * DTEND;VALUE=DATE:…25), but people name the last day: the form shows that, and the model gets
 * the exclusive date back.
 */
const DAY = 86400000;

/** The last day to show for an all-day event with this exclusive end (never before the start). */
export function lastDayOf(exclusiveEnd: string, start: string): string {
  const last = dateInput(wallFromMs(wallMs(parseInput(exclusiveEnd)) - DAY));
  return last < start.slice(0, 10) ? start.slice(0, 10) : last;
}

/** The exclusive DTEND date after an all-day event's last day. */
export function dayAfter(lastDay: string): string {
  return dateInput(wallFromMs(wallMs(parseInput(lastDay)) + DAY));
}

/** An input value moved by `ms`, in the same form (date or date-time). */
export function shifted(value: string, ms: number): string {
  const w = wallFromMs(wallMs(parseInput(value)) + ms);
  return value.length > 10 ? dateTimeInput(w) : dateInput(w);
}

/** Milliseconds from one input value to another. */
export function between(from: string, to: string): number {
  return wallMs(parseInput(to)) - wallMs(parseInput(from));
}

/** The last day a timed range touches (an end at midnight belongs to the day before). */
export function lastDayOfTimed(start: string, end: string): string {
  const s = start.slice(0, 10);
  if (!end) return s;
  const day = end.slice(0, 10);
  const last = end.slice(11, 16) === '00:00' && day > s ? lastDayOf(day, s) : day;
  return last < s ? s : last;
}
