import { IcalError } from './errors.js';
import { ICAL, type IcalComponent, type IcalRecur, type IcalTime, type IcalTimezone } from './ical.js';
import { parseCalendar } from './parse.js';
import { recurProblem } from './rrule-rules.js';
import { sharedZone, utcMs } from './zone-offsets.js';

/** A floating time (no TZID, no Z) or a DATE: its instant depends on a time zone given later. */
export function isFloating(t: IcalTime): boolean {
  return t.isDate || !t.zone || t.zone.tzid === 'floating';
}

/**
 * The instant of a time in ms since the epoch. Floating times and dates are read in `floating`
 * (RFC 4791 §9.9: the calendar-timezone or CALDAV:timezone); without one, as UTC.
 */
export function toMs(t: IcalTime, floating?: IcalTimezone | null): number {
  // A DATE read in a zone is its midnight there (its hour…second are 0).
  if (floating && isFloating(t)) return utcMs(t, floating);
  if (t.isDate) return Date.UTC(t.year, t.month - 1, t.day);
  return utcMs(t);
}

/** A UTC DATE-TIME for an instant. */
export function utcTime(ms: number): IcalTime {
  const d = new Date(ms);
  return new ICAL.Time(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      isDate: false,
    },
    ICAL.Timezone.utcTimezone,
  );
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** An instant as the text of a UTC DATE-TIME value (RFC 5545 §3.3.5 form #2), or null outside the years 0–9999. */
export function utcText(ms: number): string | null {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) return null;
  return (
    `${pad(y, 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}Z`
  );
}

const UTC_FORM = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `YYYYMMDDTHHMMSSZ` (RFC 4791 §9.9 time-range attributes) → ms; null when malformed. */
export function parseUtcDateTime(s: string): number | null {
  const m = UTC_FORM.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 60) return null;
  return ms;
}

export function formatUtcDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The time zone of a CALDAV:calendar-timezone / CALDAV:timezone value: an iCalendar object with
 * exactly one VTIMEZONE (RFC 4791 §5.2.2, §9.8).
 */
export function timezoneFromCalendar(text: string): IcalTimezone {
  const cal: IcalComponent = parseCalendar(text.trim());
  const zones = cal.getAllSubcomponents('vtimezone');
  const others = cal.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  if (zones.length !== 1 || others.length > 0) {
    throw new IcalError('valid-calendar-data', 'a time zone value must be a VCALENDAR holding exactly one VTIMEZONE');
  }
  const zone = zones[0] as IcalComponent;
  if (!zone.getFirstPropertyValue('tzid')) throw new IcalError('valid-calendar-data', 'the VTIMEZONE has no TZID');
  try {
    for (const observance of zone.getAllSubcomponents()) {
      for (const p of observance.getAllProperties('rrule')) {
        const problem = recurProblem(p.getFirstValue() as IcalRecur, 'observance');
        if (problem) throw new IcalError('valid-calendar-data', problem);
      }
    }
    // Exercise the rules once, on a zone of its own, so a malformed VTIMEZONE fails now, not during a query.
    new ICAL.Time(
      { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0 },
      new ICAL.Timezone({ component: zone }),
    ).toUnixTime();
    return sharedZone(zone);
  } catch (err) {
    if (err instanceof IcalError) throw err;
    throw new IcalError('valid-calendar-data', `invalid VTIMEZONE: ${(err as Error).message}`);
  }
}
