/**
 * Times as an editor (the web app's event and task forms) reads and writes them: `<input>`
 * values in a chosen zone ⇄ iCalendar DATE / DATE-TIME properties with their TZID and VTIMEZONE.
 * Instants come from time.ts `toMs`, the one conversion the server's queries use too.
 */
import { ICAL, type IcalComponent, type IcalProperty, type IcalTime, type IcalTimezone } from './ical.js';
import { completeZones, intlZone, isKnownZone, localZone, utcToWall, vtimezone, type Wall } from './intl-zones.js';
import { parseCalendar as parseObject } from './parse.js';
import { toMs, utcTime } from './time.js';

export type { Wall };

/**
 * One calendar object resource, parsed with the server's bounded parser (parse.ts) and given
 * the VTIMEZONEs Intl knows for TZIDs it names without defining (intl-zones.ts).
 */
export function parseCalendar(data: string): IcalComponent {
  const root = parseObject(data);
  completeZones(root);
  return root;
}

/** The zone floating times and dates are read in: the viewer's own (RFC 5545 §3.3.5 form #1). */
export function viewerZone(): IcalTimezone | null {
  return intlZone(localZone());
}

/** TZID of a date-time property, if any. */
export function tzidOf(prop: IcalProperty | null | undefined): string | undefined {
  const p = prop?.getParameter('tzid');
  return typeof p === 'string' ? p : undefined;
}

/**
 * The instant an iCalendar time names (RFC 5545 §3.3.5): UTC, with a TZID (its VTIMEZONE, one
 * parseCalendar derived from Intl), or floating (the viewer's local time). A DATE is the viewer's
 * midnight, which is how calendars show all-day items.
 */
export function instant(t: IcalTime): Date {
  return new Date(toMs(t, viewerZone()));
}

/** A floating or date ICAL.Time from wall-clock parts (the TZID goes on the property). */
export function timeFrom(w: Wall, isDate: boolean): IcalTime {
  return isDate
    ? ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, isDate: true })
    : ICAL.Time.fromData({
        year: w.year,
        month: w.month,
        day: w.day,
        hour: w.hour,
        minute: w.minute,
        second: w.second,
        isDate: false,
      });
}

/** A UTC DATE-TIME for a Date. */
export function utcOf(d: Date): IcalTime {
  return utcTime(Math.floor(d.getTime() / 1000) * 1000);
}

/** Set a DATE / DATE-TIME property with its TZID (and make sure the VCALENDAR carries that VTIMEZONE). */
export function setTime(comp: IcalComponent, name: string, t: IcalTime, tzid: string | undefined): IcalProperty {
  comp.removeAllProperties(name);
  return addTime(comp, name, t, tzid);
}

/** Add (not replace) a DATE / DATE-TIME property with its TZID (EXDATE, RDATE). */
export function addTime(comp: IcalComponent, name: string, t: IcalTime, tzid: string | undefined): IcalProperty {
  const prop = new ICAL.Property(name, comp);
  if (t.isDate) prop.resetType('date'); // before setValue: resetType drops the value
  prop.setValue(t);
  const utc = t.zone?.tzid === 'UTC';
  if (!t.isDate && !utc && tzid && tzid !== 'UTC') {
    prop.setParameter('tzid', tzid);
    ensureTimezone(comp.parent ?? comp, tzid, t.year);
  }
  comp.addProperty(prop);
  return prop;
}

function ensureTimezone(vcal: IcalComponent, tzid: string, year: number): void {
  if (vcal.name !== 'vcalendar' || !isKnownZone(tzid)) return;
  if (vcal.getAllSubcomponents('vtimezone').some((z) => z.getFirstPropertyValue('tzid') === tzid)) return;
  const vtz = new ICAL.Component(
    ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone(tzid, year)}\r\nEND:VCALENDAR`) as never,
  ).getFirstSubcomponent('vtimezone');
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

/** The viewer's calendar date of an instant as an <input type=date> value. */
export function localDateInput(d: Date): string {
  return dateInput({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: 0, minute: 0, second: 0 });
}

/** Wall-clock of an instant in a zone (an unknown name = the viewer's own). */
export function wallIn(d: Date, tz: string): Wall {
  if (isKnownZone(tz)) return utcToWall(d, tz);
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
  };
}

/** Milliseconds between two wall-clock times, as if both were UTC (calendar arithmetic). */
export function wallMs(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function wallFromMs(ms: number): Wall {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

export function newUid(): string {
  return globalThis.crypto.randomUUID();
}

export function stamp(comp: IcalComponent): void {
  const now = utcOf(new Date());
  comp.updatePropertyWithValue('dtstamp', now);
  comp.updatePropertyWithValue('last-modified', now);
}

/** A new VCALENDAR as the app writes it. */
export function newCalendar(): IcalComponent {
  const vcal = new ICAL.Component('vcalendar');
  vcal.updatePropertyWithValue('prodid', '-//Almanac//Web//EN');
  vcal.updatePropertyWithValue('version', '2.0');
  return vcal;
}
