/**
 * vCalendar 1.0 (versit) ⇄ iCalendar 2.0 (RFC 5545) for events and tasks (digest §14): TZ and
 * DAYLIGHT instead of VTIMEZONE (floating device times become UTC), all-day as T000000–T235959,
 * the 1.0 RRULE grammar, AALARM/DALARM instead of VALARM, `NEEDS ACTION`, unescaped and
 * quoted-printable text, the organizer as ATTENDEE;ROLE=ORGANIZER (attendee10.ts). The 2.0 side is
 * read with ical.js.
 */
import { ICAL, type IcalComponent, type IcalTime } from '../ical/ical.js';
import {
  decodeCharset,
  decodeQuotedPrintable,
  encodeQuotedPrintable,
  foldLine,
  paramValue,
  parseLines,
  type Line,
} from './lines.js';
import { attendee20, participant10 } from './attendee10.js';
import { rrule10To20, rrule20To10 } from './rrule10.js';

const TEXT = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT', 'CONTACT', 'RESOURCES']);
const PARTICIPANTS = new Set(['ORGANIZER', 'ATTENDEE']);
const TIMES = new Set(['DTSTART', 'DTEND', 'DUE', 'COMPLETED', 'RECURRENCE-ID', 'LAST-MODIFIED', 'CREATED', 'DTSTAMP']);
const escapeText = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

interface Zone {
  /** Standard offset in minutes east of UTC. */
  std: number;
  /** Daylight periods: [startUtcMs, endUtcMs, offsetMinutes]. */
  dst: [number, number, number][];
}

function offsetMinutes(s: string): number | null {
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(s.trim());
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function parseTime(v: string): { ms: number; utc: boolean; date: boolean } | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(v.trim());
  if (!m) return null;
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
  );
  return { ms, utc: m[7] === 'Z', date: m[4] === undefined };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function fmt(ms: number, utc: boolean): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${utc ? 'Z' : ''}`;
}
const fmtDate = (ms: number): string => fmt(ms, false).slice(0, 8);

/** Floating device time → UTC with TZ/DAYLIGHT (vCalendar 1.0 §3.6.2, §3.6.5). */
function toUtc(ms: number, zone: Zone | null): number {
  if (!zone) return ms;
  for (const [s, e, off] of zone.dst) {
    const utc = ms - off * 60_000;
    if (utc >= s && utc < e) return utc;
  }
  return ms - zone.std * 60_000;
}

function textValue(l: Line): string {
  const qp =
    /quoted-printable/i.test(paramValue(l, 'ENCODING') ?? '') ||
    l.params.some((p) => p.name === '' && /quoted-printable/i.test(p.value));
  return qp ? decodeCharset(decodeQuotedPrintable(l.value), paramValue(l, 'CHARSET')) : l.value;
}

/** One VCALENDAR 1.0 text → iCalendar 2.0 text. */
export function vcalendarToIcalendar(text: string): string {
  const lines = parseLines(text);
  let zone: Zone | null = null;
  for (const l of lines) {
    if (l.name === 'TZ') {
      const std = offsetMinutes(l.value);
      if (std !== null) zone = { std, dst: (zone as Zone | null)?.dst ?? [] };
    } else if (l.name === 'DAYLIGHT') {
      const [flag, off, start, end] = l.value.split(';');
      const o = offsetMinutes(off ?? '');
      const s = parseTime(start ?? '');
      const e = parseTime(end ?? '');
      if (/^true$/i.test(flag ?? '') && o !== null && s && e) {
        zone ??= { std: 0, dst: [] };
        // Start/end are UTC when they carry Z, else local standard/daylight time.
        zone.dst.push([s.utc ? s.ms : s.ms - zone.std * 60_000, e.utc ? e.ms : e.ms - o * 60_000, o]);
      }
    }
  }
  const out = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Almanac//SyncML vCalendar 1.0//EN'];
  let comp: string | null = null;
  let props: Line[] = [];
  const flush = (): void => {
    if (!comp) return;
    out.push(`BEGIN:${comp}`, ...convertComponent(comp, props, zone), `END:${comp}`);
    comp = null;
    props = [];
  };
  for (const l of lines) {
    if (l.name === 'BEGIN' && /^(VEVENT|VTODO)$/i.test(l.value.trim())) {
      comp = l.value.trim().toUpperCase();
      props = [];
    } else if (l.name === 'END' && comp && l.value.trim().toUpperCase() === comp) flush();
    else if (comp) props.push(l);
  }
  out.push('END:VCALENDAR');
  return out.map((l) => foldLine(l)).join('\r\n') + '\r\n';
}

/** A vCalendar 1.0 STATUS → the iCalendar 2.0 one of the component, or null if it has none. */
function status20(comp: string, value: string): string | null {
  const s = value.trim().toUpperCase().replace(/ /g, '-');
  const ok =
    comp === 'VTODO'
      ? ['NEEDS-ACTION', 'COMPLETED', 'IN-PROCESS', 'CANCELLED']
      : ['TENTATIVE', 'CONFIRMED', 'CANCELLED'];
  if (ok.includes(s)) return s;
  if (s === 'DECLINED') return 'CANCELLED';
  if (comp === 'VTODO' && s === 'ACCEPTED') return 'IN-PROCESS';
  return null;
}

/** An AALARM or DALARM line → the lines of a VALARM (none if its run time does not parse). */
function alarm20(name: 'AALARM' | 'DALARM', l: Line, zone: Zone | null): string[] {
  const [run, , , extra] = textValue(l).split(';');
  const t = parseTime(run ?? '');
  if (!t) return [];
  const at = t.utc ? t.ms : toUtc(t.ms, zone);
  const alarm = [
    'BEGIN:VALARM',
    `ACTION:${name === 'AALARM' ? 'AUDIO' : 'DISPLAY'}`,
    `TRIGGER;VALUE=DATE-TIME:${fmt(at, true)}`,
  ];
  if (name === 'DALARM') alarm.push(`DESCRIPTION:${escapeText(extra || 'Reminder')}`);
  alarm.push('END:VALARM');
  return alarm;
}

function convertComponent(comp: string, props: readonly Line[], zone: Zone | null): string[] {
  const out: string[] = [];
  const alarms: string[] = [];
  const get = (n: string): Line | undefined => props.find((p) => p.name === n);
  const start = parseTime(get('DTSTART')?.value ?? '');
  const endLine = get(comp === 'VTODO' ? 'DUE' : 'DTEND');
  const end = parseTime(endLine?.value ?? '');
  // All day (digest §14): floating midnight start, end at 23:59:59 or midnight.
  const allDay =
    !!start &&
    !start.utc &&
    (start.date || fmt(start.ms, false).endsWith('T000000')) &&
    (!end || (!end.utc && (end.date || /T(235959|000000)$/.test(fmt(end.ms, false)))));
  const time = (name: string, v: string): string | null => {
    const t = parseTime(v);
    if (!t) return null;
    if (allDay && (name === 'DTSTART' || name === 'DTEND' || name === 'DUE' || name === 'RECURRENCE-ID')) {
      let ms = t.ms;
      if (name === 'DTEND' && fmt(ms, false).endsWith('T235959')) ms += 1000;
      if (name === 'DTEND' && ms <= (start?.ms ?? 0)) ms = (start?.ms ?? 0) + 86_400_000;
      return `${name};VALUE=DATE:${fmtDate(ms)}`;
    }
    if (t.utc) return `${name}:${fmt(t.ms, true)}`;
    return zone ? `${name}:${fmt(toUtc(t.ms, zone), true)}` : `${name}:${fmt(t.ms, false)}`;
  };
  let hasStamp = false;
  for (const l of props) {
    const name = l.name === 'DCREATED' ? 'CREATED' : l.name;
    if (name === 'DTSTAMP') hasStamp = true;
    if (TIMES.has(name)) {
      const t = time(name, l.value);
      if (t) out.push(t);
    } else if (TEXT.has(name)) out.push(`${name}:${escapeText(textValue(l))}`);
    else if (name === 'RRULE') {
      const r = rrule10To20(l.value, allDay);
      if (r) out.push(`RRULE:${r}`);
    } else if (name === 'EXDATE' || name === 'RDATE') {
      const vals = l.value
        .split(/[;,]/)
        .map((v) => time(name, v)?.split(':')[1])
        .filter((v): v is string => !!v);
      if (vals.length > 0) out.push(`${name}${allDay ? ';VALUE=DATE' : ''}:${vals.join(',')}`);
    } else if (name === 'STATUS') {
      const s = status20(comp, l.value);
      if (s) out.push(`STATUS:${s}`);
    } else if (name === 'CATEGORIES')
      out.push(
        `CATEGORIES:${textValue(l)
          .split(';')
          .map((c) => c.trim().replace(/,/g, '\\,'))
          .filter(Boolean)
          .join(',')}`,
      );
    else if (name === 'AALARM' || name === 'DALARM') alarms.push(...alarm20(name, l, zone));
    else if (name === 'ATTENDEE') out.push(...attendee20(l));
    else if (
      ['UID', 'PRIORITY', 'CLASS', 'URL', 'SEQUENCE', 'TRANSP', 'GEO', 'PERCENT-COMPLETE'].includes(name) ||
      name.startsWith('X-')
    ) {
      if (l.value.trim() !== '')
        out.push(
          `${name}:${name === 'TRANSP' ? (l.value.trim() === '0' ? 'OPAQUE' : l.value.trim() === '1' ? 'TRANSPARENT' : l.value.trim()) : l.value.trim()}`,
        );
    }
  }
  if (!hasStamp) out.push(`DTSTAMP:${fmt(Date.now() - (Date.now() % 1000), true)}`);
  return [...out, ...alarms];
}

// ---------------------------------------------------------------- iCalendar 2.0 → vCalendar 1.0

function text10(name: string, v: string): string {
  const nonAscii = /[^\p{ASCII}]/u.test(v);
  if (/[\r\n]/.test(v))
    return `${name}${nonAscii ? ';CHARSET=UTF-8' : ''};ENCODING=QUOTED-PRINTABLE:${encodeQuotedPrintable(v.replace(/\r?\n/g, '\r\n'))}`;
  return `${name}${nonAscii ? ';CHARSET=UTF-8' : ''}:${v}`;
}

function utcOf(t: IcalTime): string {
  if (t.isDate) return `${fmtDate(Date.UTC(t.year, t.month - 1, t.day))}T000000`;
  if (t.zone === ICAL.Timezone.localTimezone)
    return fmt(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second), false);
  return fmt(t.toUnixTime() * 1000, true);
}

/** One iCalendar 2.0 object → vCalendar 1.0 text (all times in UTC, no TZ needed). */
export function icalendarToVcalendar(text: string): string {
  const root = new ICAL.Component(ICAL.parse(text) as never);
  const zones = root.getAllSubcomponents('vtimezone');
  for (const z of zones) {
    const tz = new ICAL.Timezone(z);
    if (!ICAL.TimezoneService.has(tz.tzid)) ICAL.TimezoneService.register(tz, tz.tzid);
  }
  const out = ['BEGIN:VCALENDAR', 'VERSION:1.0', 'PRODID:-//Almanac//SyncML vCalendar 1.0//EN'];
  for (const c of root.getAllSubcomponents()) {
    if (c.name !== 'vevent' && c.name !== 'vtodo') continue;
    out.push(`BEGIN:${c.name.toUpperCase()}`, ...component10(c), `END:${c.name.toUpperCase()}`);
  }
  out.push('END:VCALENDAR');
  return out.join('\r\n') + '\r\n';
}

function component10(c: IcalComponent): string[] {
  const out: string[] = [];
  const start = c.getFirstPropertyValue('dtstart') as IcalTime | null;
  for (const p of c.getAllProperties()) {
    const name = p.name.toUpperCase();
    const v = p.getFirstValue();
    if (TIMES.has(name) && v instanceof ICAL.Time) {
      if (name === 'DTEND' && v.isDate) {
        const d = Date.UTC(v.year, v.month - 1, v.day) - 1000;
        out.push(`DTEND:${fmt(d, false)}`);
      } else if (name === 'DUE' && v.isDate) out.push(`DUE:${fmtDate(Date.UTC(v.year, v.month - 1, v.day))}T000000`);
      else out.push(`${name === 'CREATED' ? 'DCREATED' : name}:${utcOf(v)}`);
    } else if (name === 'DURATION' && start && !c.hasProperty('dtend')) {
      const end = start.clone();
      end.addDuration(v as never);
      out.push(`DTEND:${start.isDate ? fmt(Date.UTC(end.year, end.month - 1, end.day) - 1000, false) : utcOf(end)}`);
    } else if (TEXT.has(name)) out.push(text10(name, String(v)));
    else if (name === 'RRULE') {
      const r = rrule20To10(String(p.getFirstValue()), start?.month ?? 1, (u) => {
        if (/^\d{8}$/.test(u)) return `${u}T235959`;
        return u.endsWith('Z') ? u : u;
      });
      if (r) out.push(`RRULE:${r}`);
    } else if (name === 'EXDATE' || name === 'RDATE') {
      const vals = p
        .getValues()
        .filter((x): x is IcalTime => x instanceof ICAL.Time)
        .map(utcOf);
      if (vals.length > 0) out.push(`${name}:${vals.join(';')}`);
    } else if (name === 'STATUS') out.push(`STATUS:${String(v).replace('NEEDS-ACTION', 'NEEDS ACTION')}`);
    else if (name === 'CATEGORIES') out.push(text10('CATEGORIES', p.getValues().map(String).join(';')));
    else if (['UID', 'PRIORITY', 'CLASS', 'URL', 'SEQUENCE', 'PERCENT-COMPLETE'].includes(name))
      out.push(`${name}:${String(v)}`);
    else if (name === 'TRANSP') out.push(`TRANSP:${String(v) === 'TRANSPARENT' ? '1' : '0'}`);
    else if (PARTICIPANTS.has(name)) out.push(participant10(p));
  }
  for (const a of c.getAllSubcomponents('valarm')) {
    const trig = a.getFirstPropertyValue('trigger');
    let at: number | null = null;
    if (trig instanceof ICAL.Time) at = trig.toUnixTime() * 1000;
    else if (trig && start) {
      const related = a.getFirstProperty('trigger')?.getParameter('related') === 'END';
      const base = (
        related ? (c.getFirstPropertyValue('dtend') ?? c.getFirstPropertyValue('due')) : start
      ) as IcalTime | null;
      if (base) {
        const t = base.clone();
        t.addDuration(trig as never);
        at = t.toUnixTime() * 1000;
      }
    }
    if (at === null) continue;
    const action = String(a.getFirstPropertyValue('action') ?? 'DISPLAY').toUpperCase();
    const desc = String(a.getFirstPropertyValue('description') ?? c.getFirstPropertyValue('summary') ?? '');
    out.push(action === 'AUDIO' ? `AALARM:${fmt(at, true)};;;` : text10('DALARM', `${fmt(at, true)};;;${desc}`));
  }
  return out;
}
