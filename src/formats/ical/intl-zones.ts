/**
 * Time zone arithmetic on the runtime's own IANA database (Intl: the browser's, or Node's ICU),
 * no library needed; and VTIMEZONEs (RFC 5545 §3.6.5) derived from it for TZIDs an object names
 * without defining, and for the viewer's zone in which floating times are read.
 */
import { ICAL, type IcalComponent, type IcalTimezone } from './ical.js';

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isKnownZone(tz: string | null | undefined): tz is string {
  if (!tz) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock time in `tz` of an instant. */
export function utcToWall(date: Date, tz: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of `tz` from UTC at an instant, in minutes. */
export function offsetAt(date: Date, tz: string): number {
  const w = utcToWall(date, tz);
  return Math.round(
    (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(date.getTime() / 1000) * 1000) /
      60000,
  );
}

/** The instant a wall-clock time in `tz` names (a time in a DST gap moves forward, RFC 5545 §3.3.5). */
export function wallToUtc(w: Wall, tz: string): Date {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  let t = naive - offsetAt(new Date(naive), tz) * 60000;
  t = naive - offsetAt(new Date(t), tz) * 60000;
  return new Date(t);
}

let local: { zone: string; at: number } | null = null;

/** The runtime's own zone (asked of Intl at most once a minute: building a formatter to ask costs ~1 ms). */
export function localZone(): string {
  const now = Date.now();
  if (!local || now - local.at > 60_000)
    local = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', at: now };
  return local.zone;
}

export function allZones(): string[] {
  const f = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  return f ? f('timeZone') : [localZone(), 'UTC'];
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function icalLocal(w: Wall): string {
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

function fmtOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/**
 * A VTIMEZONE (RFC 5545 §3.6.5) for `tzid`, derived from the transitions Intl reports in
 * `year`: a STANDARD and, where the zone has DST, a DAYLIGHT sub-component with a yearly rule.
 */
export function vtimezone(tzid: string, year: number): string {
  const transitions: { at: number; from: number; to: number }[] = [];
  let t = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  let prev = offsetAt(new Date(t), tzid);
  for (t += 86400000; t <= end; t += 86400000) {
    const o = offsetAt(new Date(t), tzid);
    if (o !== prev) {
      let lo = t - 86400000;
      let hi = t;
      while (hi - lo > 60000) {
        const mid = Math.floor((lo + hi) / 2 / 60000) * 60000;
        if (offsetAt(new Date(mid), tzid) === prev) lo = mid;
        else hi = mid;
      }
      transitions.push({ at: hi, from: prev, to: o });
      prev = o;
    }
  }
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tzid}`];
  if (transitions.length === 0) {
    lines.push(
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${fmtOffset(prev)}`,
      `TZOFFSETTO:${fmtOffset(prev)}`,
      'END:STANDARD',
    );
  }
  for (const tr of transitions) {
    const kind = tr.to > tr.from ? 'DAYLIGHT' : 'STANDARD';
    // The transition's local time in the offset before it.
    const localMs = tr.at + tr.from * 60000;
    const d = new Date(localMs);
    const w = {
      year: 1970,
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: 0,
    };
    const lastDay = new Date(Date.UTC(year, w.month, 0)).getUTCDate();
    const nth = w.day + 7 > lastDay ? -1 : Math.ceil(w.day / 7);
    // DTSTART must be an instance of the rule: the same weekday rule in 1970.
    const firstOf1970 = new Date(Date.UTC(1970, w.month - 1, 1)).getUTCDay();
    const wd = d.getUTCDay();
    let day1970: number;
    if (nth > 0) day1970 = 1 + ((wd - firstOf1970 + 7) % 7) + (nth - 1) * 7;
    else {
      const last1970 = new Date(Date.UTC(1970, w.month, 0));
      day1970 = last1970.getUTCDate() - ((last1970.getUTCDay() - wd + 7) % 7);
    }
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${icalLocal({ ...w, day: day1970 })}`,
      `RRULE:FREQ=YEARLY;BYMONTH=${w.month};BYDAY=${nth}${DAYS[wd]}`,
      `TZOFFSETFROM:${fmtOffset(tr.from)}`,
      `TZOFFSETTO:${fmtOffset(tr.to)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

const zones = new Map<string, IcalTimezone>();

/**
 * An ical.js zone for an IANA name, built from `vtimezone(tzid, year)` (this year's rules; the
 * cache holds one per name). Null for a name Intl does not know.
 */
export function intlZone(tzid: string, year = new Date().getFullYear()): IcalTimezone | null {
  if (!isKnownZone(tzid)) return null;
  const key = `${tzid}|${year}`;
  let z = zones.get(key);
  if (!z) {
    const cal = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone(tzid, year)}\r\nEND:VCALENDAR`) as never);
    z = new ICAL.Timezone({ component: cal.getFirstSubcomponent('vtimezone') as IcalComponent });
    if (zones.size > 500) zones.clear();
    zones.set(key, z);
  }
  return z;
}

/**
 * Give a VCALENDAR a VTIMEZONE for every TZID it names without defining (RFC 5545 §3.2.19 requires
 * one; some clients leave it out) that Intl knows, so ical.js reads those times in their zone
 * instead of as UTC. A TZID neither defined nor known stays as it is.
 */
export function completeZones(root: IcalComponent): void {
  const defined = new Set(
    root.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid') ?? '')),
  );
  const named = new Set<string>();
  for (const c of root.getAllSubcomponents()) {
    if (c.name === 'vtimezone') continue;
    for (const p of c.getAllProperties()) {
      const tzid = p.getParameter('tzid');
      if (typeof tzid === 'string' && !defined.has(tzid)) named.add(tzid);
    }
  }
  for (const tzid of named) {
    if (!isKnownZone(tzid)) continue;
    const cal = new ICAL.Component(
      ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone(tzid, new Date().getFullYear())}\r\nEND:VCALENDAR`) as never,
    );
    const vtz = cal.getFirstSubcomponent('vtimezone');
    if (vtz) root.addSubcomponent(vtz);
  }
}
