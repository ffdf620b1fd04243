/**
 * Dates and times in the user's locale, through Intl: every view formats with these helpers
 * (never `toLocaleString(undefined, …)`, which follows the browser and not the chosen language).
 */
import { locale } from './i18n.js';

/** 0 = Sunday … 6 = Saturday, as Date#getDay and FullCalendar's `firstDay` count. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

interface WeekInfo {
  firstDay: number;
}
/** Intl.Locale's week data: `getWeekInfo()` (current), the `weekInfo` getter (Chromium before 130), or neither (Firefox). */
interface LocaleWithWeek {
  getWeekInfo?: () => WeekInfo;
  weekInfo?: WeekInfo;
  maximize(): Intl.Locale;
  region?: string;
}

/** Regions whose week starts on Sunday or Saturday (CLDR weekData), for engines without weekInfo. Everything else: Monday. */
const SUNDAY_FIRST = new Set([
  'US',
  'CA',
  'MX',
  'BR',
  'JP',
  'KR',
  'TW',
  'HK',
  'IL',
  'PH',
  'IN',
  'ZA',
  'AU',
  'SA',
  'PE',
  'CO',
  'VE',
  'GT',
  'PA',
  'DO',
  'SV',
  'HN',
  'NI',
  'PR',
  'PY',
  'BO',
  'TH',
  'ID',
  'PK',
  'KE',
  'ZW',
  'MO',
  'SG',
]);
const SATURDAY_FIRST = new Set([
  'AE',
  'AF',
  'BH',
  'DJ',
  'DZ',
  'EG',
  'IQ',
  'IR',
  'JO',
  'KW',
  'LY',
  'OM',
  'QA',
  'SD',
  'SY',
]);

/** The first day of the week in `loc` (CLDR: Monday in de/fr/es/en-GB, Sunday in en-US). */
export function firstDayOfWeek(loc: string = locale()): Weekday {
  try {
    const l = new Intl.Locale(loc) as unknown as LocaleWithWeek;
    const info = typeof l.getWeekInfo === 'function' ? l.getWeekInfo() : l.weekInfo;
    if (info && info.firstDay >= 1 && info.firstDay <= 7) return (info.firstDay % 7) as Weekday;
    const region = l.region ?? (l.maximize() as unknown as LocaleWithWeek).region ?? '';
    if (SUNDAY_FIRST.has(region)) return 0;
    if (SATURDAY_FIRST.has(region)) return 6;
    return 1;
  } catch {
    return 1;
  }
}

/** Whether `loc` writes times on a 12-hour clock (en-US "3:00 PM") rather than 24 hours ("15:00"). */
export function uses12HourClock(loc: string = locale()): boolean {
  const cycle = new Intl.DateTimeFormat(loc, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h11' || cycle === 'h12';
}

/** Weekday names in week order starting at the locale's first day ("Mo", "Di", … in de). */
export function weekdayNames(width: 'long' | 'short' | 'narrow' = 'short', loc: string = locale()): string[] {
  const fmt = new Intl.DateTimeFormat(loc, { weekday: width, timeZone: 'UTC' });
  const first = firstDayOfWeek(loc);
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, i) => fmt.format(new Date(Date.UTC(2023, 0, 1 + ((first + i) % 7)))));
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** A cached Intl.DateTimeFormat for the current locale (constructing one costs more than formatting). */
function formatter(options: Intl.DateTimeFormatOptions, loc: string): Intl.DateTimeFormat {
  const key = `${loc}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(loc, options)));
  return f;
}

/** A date: "4 Dec 2026" (en-GB), "04.12.2026" (de, style short), "4 déc. 2026" (fr). */
export function formatDate(d: Date, style: 'short' | 'medium' | 'long' | 'full' = 'medium', timeZone?: string): string {
  return formatter({ dateStyle: style, timeZone }, locale()).format(d);
}

/** A time of day: "15:30", or "3:30 PM" in en-US. */
export function formatTime(d: Date, timeZone?: string): string {
  return formatter({ timeStyle: 'short', timeZone }, locale()).format(d);
}

/** A date and time: "4 Dec 2026, 15:30". */
export function formatDateTime(d: Date, dateStyle: 'short' | 'medium' | 'long' = 'medium', timeZone?: string): string {
  return formatter({ dateStyle, timeStyle: 'short', timeZone }, locale()).format(d);
}

/** A day heading: "Friday 4 December" (en-GB), "Freitag, 4. Dezember" (de). */
export function formatDayHeading(d: Date, timeZone?: string): string {
  return formatter({ weekday: 'long', day: 'numeric', month: 'long', timeZone }, locale()).format(d);
}

/** Anything else Intl can write, in the current locale. */
export function formatWith(d: Date, options: Intl.DateTimeFormatOptions): string {
  return formatter(options, locale()).format(d);
}
