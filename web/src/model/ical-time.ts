import ICAL from 'ical.js';
import { isKnownZone, utcToWall, vtimezone, wallToUtc, type Wall } from './tz.js';

export type Time = ICAL.Time;

/** A parsed calendar object; VTIMEZONEs with names Intl does not know are registered with ical.js. */
export function parseCalendar(data: string): ICAL.Component {
  const comp = new ICAL.Component(ICAL.parse(data));
  for (const vtz of comp.getAllSubcomponents('vtimezone')) {
    const id = String(vtz.getFirstPropertyValue('tzid') ?? '');
    if (id && !isKnownZone(id) && !ICAL.TimezoneService.has(id)) ICAL.TimezoneService.register(vtz);
  }
  return comp;
}

/** TZID of a date-time property, if any. */
export function tzidOf(prop: ICAL.Property | null): string | undefined {
  const p = prop?.getParameter('tzid');
  return typeof p === 'string' ? p : undefined;
}

/**
 * The instant an iCalendar time names (RFC 5545 §3.3.5): UTC, with a TZID (IANA names through
 * Intl, others through their VTIMEZONE), or floating (the viewer's local time). A DATE is
 * local midnight, which is how calendars show all-day items.
 */
export function instant(t: ICAL.Time, tzid: string | undefined): Date {
  if (t.isDate) return new Date(t.year, t.month - 1, t.day);
  if (t.zone?.tzid === 'UTC') return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
  if (tzid && isKnownZone(tzid)) return wallToUtc(wallOf(t), tzid);
  if (tzid && ICAL.TimezoneService.has(tzid)) return t.toJSDate();
  return new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

export function wallOf(t: ICAL.Time): Wall {
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
}

/** A floating or date ICAL.Time from wall-clock parts (the TZID goes on the property). */
export function timeFrom(w: Wall, isDate: boolean): ICAL.Time {
  return isDate
    ? ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, isDate: true })
    : ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, isDate: false });
}

export function utcTime(d: Date): ICAL.Time {
  return ICAL.Time.fromData({
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate: false,
  }, ICAL.Timezone.utcTimezone);
}

/** Set a DATE / DATE-TIME property with its TZID (and make sure the VCALENDAR carries that VTIMEZONE). */
export function setTime(comp: ICAL.Component, name: string, t: ICAL.Time, tzid: string | undefined): ICAL.Property {
  comp.removeAllProperties(name);
  const prop = new ICAL.Property(name, comp);
  if (t.isDate) prop.resetType('date'); // before setValue: resetType drops the value
  prop.setValue(t);
  if (!t.isDate && tzid && tzid !== 'UTC') {
    prop.setParameter('tzid', tzid);
    ensureTimezone(comp.parent ?? comp, tzid, t.year);
  }
  comp.addProperty(prop);
  return prop;
}

export function ensureTimezone(vcal: ICAL.Component, tzid: string, year: number): void {
  if (vcal.name !== 'vcalendar' || !isKnownZone(tzid)) return;
  if (vcal.getAllSubcomponents('vtimezone').some((z) => z.getFirstPropertyValue('tzid') === tzid)) return;
  const vtz = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone(tzid, year)}\r\nEND:VCALENDAR`)).getFirstSubcomponent('vtimezone');
  if (vtz) vcal.addSubcomponent(vtz);
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm' (an <input> value) → wall-clock parts. */
export function parseInput(s: string): Wall {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(s);
  if (!m) throw new Error(`not a date: ${s}`);
  return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: 0 };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function dateInput(w: Wall): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

export function dateTimeInput(w: Wall): string {
  return `${dateInput(w)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** Wall-clock of an instant in a zone ('floating' = the browser's own). */
export function wallIn(d: Date, tz: string): Wall {
  if (isKnownZone(tz)) return utcToWall(d, tz);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
}

/** Milliseconds between two wall-clock times, as if both were UTC (calendar arithmetic). */
export function wallMs(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function wallFromMs(ms: number): Wall {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

export function newUid(): string {
  return crypto.randomUUID();
}

export function stamp(comp: ICAL.Component): void {
  const now = utcTime(new Date());
  comp.updatePropertyWithValue('dtstamp', now);
  comp.updatePropertyWithValue('last-modified', now);
}
