import { dateInput, dateTimeInput, wallFromMs } from '../../../src/formats/ical/edit-time.js';
import { isKnownZone, localZone, offsetAt, wallToUtc } from '../../../src/formats/ical/intl-zones.js';

/**
 * The zone the calendar shows times in: the user's choice (kept in localStorage), else the
 * browser's. FullCalendar runs in UTC and is handed "grid dates" whose UTC fields are the wall
 * clock in that zone, so it needs no time-zone plugin and the page's own zone plays no part.
 */
const KEY = 'almanac.displayZone';

export function displayZone(): string {
  const chosen = localStorage.getItem(KEY);
  return chosen && isKnownZone(chosen) ? chosen : localZone();
}

/** Choose a zone (null or the browser's own = follow the browser). */
export function setDisplayZone(zone: string | null): void {
  if (!zone || !isKnownZone(zone) || zone === localZone()) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, zone);
}

/** Whether the user picked a zone other than the browser's. */
export function zoneChosen(): boolean {
  return localStorage.getItem(KEY) !== null;
}

/**
 * A zone's UTC offset (ms) at an instant, cached per quarter hour: asking Intl costs a
 * formatToParts, and a month of 1,000 events asked it 2,000 times a render. Offsets change only
 * at transitions, which fall on quarter hours; a quarter that holds one (its two ends differ) is
 * never cached, so the answer is always Intl's.
 */
const QUARTER = 15 * 60000;
const MAX_CACHED = 20000;
const offsets = new Map<string, number | null>();

function offsetMs(ms: number, zone: string): number {
  const q = Math.floor(ms / QUARTER);
  const key = `${zone}|${q}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const a = offsetAt(new Date(q * QUARTER), zone);
    const b = offsetAt(new Date(q * QUARTER + QUARTER - 1000), zone);
    off = a === b ? a * 60000 : null;
    if (offsets.size >= MAX_CACHED) offsets.clear();
    offsets.set(key, off);
  }
  return off ?? offsetAt(new Date(ms), zone) * 60000;
}

/** An instant as a grid date. All-day items are dates, the same in every zone (RFC 5545 §3.3.4): the model gives them as local midnight. */
export function toGrid(d: Date, allDay: boolean, zone = displayZone()): Date {
  if (allDay) return new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const ms = Math.floor(d.getTime() / 1000) * 1000;
  return new Date(ms + offsetMs(ms, zone));
}

/** A grid date back to the instant (or, all-day, the local midnight) the model works with. */
export function fromGrid(d: Date, allDay: boolean, zone = displayZone()): Date {
  if (allDay) return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return wallToUtc(wallFromMs(d.getTime()), zone);
}

/** A grid date as the editor's input value. */
export function gridInput(d: Date, allDay: boolean): string {
  const w = wallFromMs(d.getTime());
  return allDay ? dateInput(w) : dateTimeInput(w);
}
