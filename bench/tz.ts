/**
 * Wall-clock arithmetic and time-zone conversion for the benchmark's own expected answers.
 * Deliberately independent of the server: offsets come from the platform's tz database
 * through Intl, never from the VTIMEZONE text the server reads.
 */

/** A wall-clock date-time (month 1-12). */
export interface Local {
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
}

export const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'] as const;
export type Zone = (typeof ZONES)[number];

const DAY = 86_400_000;

/** The wall clock as if it were UTC, in ms (for date arithmetic only). */
export function wallMs(t: Local): number {
  return Date.UTC(t.y, t.m - 1, t.d, t.h, t.mi);
}

export function fromWallMs(ms: number): Local {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
  };
}

export function addDays(t: Local, days: number): Local {
  return fromWallMs(wallMs(t) + days * DAY);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(t: Local): number {
  return (new Date(Date.UTC(t.y, t.m - 1, t.d)).getUTCDay() + 6) % 7;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at the instant `utc`, in ms. */
function offsetAt(zone: string, utc: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utc)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!);
  return asUtc - Math.floor(utc / 60_000) * 60_000;
}

const cache = new Map<string, number>();

/** The UTC instant of a wall-clock time in `zone` (null = UTC). The generator avoids DST gaps. */
export function toUtc(t: Local, zone: string | null): number {
  const wall = wallMs(t);
  if (zone === null) return wall;
  const key = `${zone}|${wall}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let utc = wall - offsetAt(zone, wall);
  utc = wall - offsetAt(zone, utc);
  if (cache.size > 500_000) cache.clear();
  cache.set(key, utc);
  return utc;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** iCalendar DATE-TIME text (no zone suffix). */
export function icsDateTime(t: Local): string {
  return `${t.y}${p2(t.m)}${p2(t.d)}T${p2(t.h)}${p2(t.mi)}00`;
}

export function icsDate(t: Local): string {
  return `${t.y}${p2(t.m)}${p2(t.d)}`;
}

export function icsUtc(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}`;
}

/**
 * Parse an iCalendar date or date-time value as the server sent it in expanded output:
 * `YYYYMMDD` (a day, taken as UTC midnight), `YYYYMMDDTHHMMSSZ`, or with a TZID parameter.
 */
export function parseIcsInstant(value: string, tzid: string | null): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value.trim());
  if (!m) throw new Error(`bad iCalendar date-time '${value}'`);
  const local: Local = { y: +m[1]!, m: +m[2]!, d: +m[3]!, h: m[4] ? +m[4] : 0, mi: m[5] ? +m[5] : 0 };
  const secs = m[6] ? +m[6] * 1000 : 0;
  if (!m[4] || m[7] === 'Z' || tzid === null) return wallMs(local) + secs;
  return toUtc(local, tzid) + secs;
}

/** VTIMEZONE definitions (rules in force since 2008) for the zones the generator uses. */
export const VTIMEZONES: Record<Zone, string> = {
  'Europe/Berlin': [
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Berlin',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'TZNAME:CEST',
    'DTSTART:19700329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'TZNAME:CET',
    'DTSTART:19701025T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n'),
  'America/New_York': [
    'BEGIN:VTIMEZONE',
    'TZID:America/New_York',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:-0500',
    'TZOFFSETTO:-0400',
    'TZNAME:EDT',
    'DTSTART:20070311T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:-0400',
    'TZOFFSETTO:-0500',
    'TZNAME:EST',
    'DTSTART:20071104T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n'),
  'Asia/Tokyo': [
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Tokyo',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0900',
    'TZOFFSETTO:+0900',
    'TZNAME:JST',
    'DTSTART:19700101T000000',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n'),
  'Australia/Sydney': [
    'BEGIN:VTIMEZONE',
    'TZID:Australia/Sydney',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+1100',
    'TZOFFSETTO:+1000',
    'TZNAME:AEST',
    'DTSTART:20080406T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+1000',
    'TZOFFSETTO:+1100',
    'TZNAME:AEDT',
    'DTSTART:20081005T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
  ].join('\r\n'),
};
