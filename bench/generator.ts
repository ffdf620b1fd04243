/**
 * The benchmark's deterministic data set: N events and M contacts from a seeded PRNG.
 * Events: ~80% single timed, ~15% recurring (RRULE, EXDATE, overridden instances, several
 * time zones), ~5% all-day. Every timed event with a TZID carries its VTIMEZONE, as Apple and
 * Thunderbird send them. A fixed handful of series never end, and another handful are daily
 * series over the whole span (UNTIL-bounded) with dozens of RECURRENCE-ID overrides and some
 * EXDATEs. The calendar keeps a constant density (about four events a day),
 * so a month holds about the same number of events at every N; that is what makes the growth
 * of query cost with N a property of the server and not of the answer size.
 */
import {
  ZONES,
  VTIMEZONES,
  addDays,
  daysInMonth,
  fromWallMs,
  icsDate,
  icsDateTime,
  icsUtc,
  toUtc,
  wallMs,
  weekday,
  type Local,
  type Zone,
} from './tz.js';

/** mulberry32: small, fast, deterministic. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** The RRULE subset the generator emits and expected.ts implements. */
export type Rule =
  | { freq: 'DAILY'; interval: number; count?: number; untilUtc?: number }
  | { freq: 'WEEKLY'; interval: number; byday: number[]; count?: number; untilUtc?: number }
  | { freq: 'MONTHLY'; interval: number; bymonthday: number; count?: number; untilUtc?: number }
  | { freq: 'MONTHLY'; interval: number; nth: number; weekday: number; count?: number; untilUtc?: number };

interface Override {
  readonly recurrenceId: Local;
  readonly start: Local;
  readonly durationMin: number;
  readonly summary: string;
}

export interface GenEvent {
  readonly index: number;
  readonly name: string;
  readonly uid: string;
  readonly kind: 'single' | 'recurring' | 'allday';
  /** null = UTC times (Z). */
  readonly zone: Zone | null;
  readonly start: Local;
  /** Timed events: length in minutes. */
  readonly durationMin: number;
  /** All-day events: number of days. */
  readonly days: number;
  readonly useDuration: boolean;
  readonly rule: Rule | null;
  readonly exdates: readonly Local[];
  readonly overrides: readonly Override[];
  readonly summary: string;
}

export interface GenContact {
  readonly index: number;
  readonly name: string;
  readonly uid: string;
  readonly fn: string;
  readonly given: string;
  readonly family: string;
  readonly email: string;
  readonly tel: string;
  readonly org: string;
}

export interface DataSet {
  readonly seed: number;
  readonly events: readonly GenEvent[];
  readonly contacts: readonly GenContact[];
  /** First day of the calendar's span (UTC wall clock). */
  readonly spanStart: Local;
  readonly spanDays: number;
  /** Extra FN search terms that the vocabulary is known to contain. */
  readonly searchTerms: readonly string[];
}

const FIRST = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Elif',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Karin',
  'Luca',
  'Mira',
  'Noah',
  'Olga',
  'Paul',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Ugo',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
  'Zoe',
  'Amir',
  'Bea',
  'Chen',
  'Dana',
  'Emil',
  'Fatma',
  'Gil',
  'Hana',
  'Ivo',
  'Jana',
  'Kofi',
  'Lea',
  'Milan',
  'Nora',
];
const SYL = [
  'berg',
  'wald',
  'son',
  'ston',
  'ley',
  'man',
  'ner',
  'ski',
  'ova',
  'ez',
  'ini',
  'ard',
  'holm',
  'qvist',
  'ford',
  'dale',
  'ton',
  'ville',
  'mann',
  'sen',
];
const ROOT = [
  'Lind',
  'Ek',
  'Ham',
  'Kra',
  'Mor',
  'Pet',
  'Ros',
  'Sal',
  'Tor',
  'Val',
  'Bran',
  'Cor',
  'Dun',
  'Fal',
  'Gor',
  'Hal',
  'Jar',
  'Kel',
  'Mal',
  'Nor',
  'Ost',
  'Pal',
  'Ren',
  'Sten',
  'Tal',
];
const ORGS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne'];
const WORDS = [
  'Review',
  'Standup',
  'Planning',
  'Lunch',
  'Call',
  'Workshop',
  'Retro',
  'Sync',
  'Demo',
  'Interview',
  'Dentist',
  'Gym',
  'Training',
  'Offsite',
  'Budget',
  'Roadmap',
];

const CAL_START: Local = { y: 2024, m: 1, d: 1, h: 0, mi: 0 };
const EVENTS_PER_DAY = 4;

/** The span is sized so density stays constant: at least 120 days. */
function spanDaysFor(events: number): number {
  return Math.max(120, Math.ceil(events / EVENTS_PER_DAY));
}

function timedStart(rng: Rng, spanDays: number): Local {
  const day = addDays(CAL_START, rng.int(0, spanDays - 1));
  // 07:00–20:45: never inside a DST gap or overlap (those are at 02:00–03:00 in every zone used).
  return { ...day, h: rng.int(7, 20), mi: rng.pick([0, 15, 30, 45]) };
}

function makeRule(rng: Rng, start: Local, zone: Zone | null, infinite: boolean): Rule {
  const kind = rng.int(0, 3);
  let base: Rule;
  if (kind === 0) base = { freq: 'DAILY', interval: rng.int(1, 3) };
  else if (kind === 1) {
    const own = weekday(start);
    const byday = [...new Set([own, ...(rng.chance(0.6) ? [rng.int(0, 6), rng.int(0, 6)] : [])])].sort((a, b) => a - b);
    base = { freq: 'WEEKLY', interval: rng.int(1, 2), byday };
  } else if (kind === 2) base = { freq: 'MONTHLY', interval: 1, bymonthday: start.d };
  else {
    const nth = Math.ceil(start.d / 7) >= 5 ? -1 : Math.ceil(start.d / 7);
    base = { freq: 'MONTHLY', interval: 1, nth, weekday: weekday(start) };
  }
  if (infinite) return base;
  if (rng.chance(0.6)) return { ...base, count: rng.int(3, 25) };
  // UNTIL exactly on an instance start: tests that UNTIL is inclusive.
  const k = rng.int(2, 20);
  let i = 0;
  for (const t of ruleInstances(base, start, zone)) {
    if (i++ === k) return { ...base, untilUtc: toUtc(t, zone) };
  }
  throw new Error('unreachable: an unbounded rule ends');
}

/** Day of month of the nth (1-4, or -1 = last) weekday (0 = Monday). */
function nthWeekdayOfMonth(y: number, m: number, nth: number, wd: number): number {
  if (nth > 0) {
    const first = weekday({ y, m, d: 1, h: 0, mi: 0 });
    return 1 + ((wd - first + 7) % 7) + 7 * (nth - 1);
  }
  const dim = daysInMonth(y, m);
  const last = weekday({ y, m, d: dim, h: 0, mi: 0 });
  return dim - ((last - wd + 7) % 7);
}

export function generate(events: number, contacts: number, seed = 20240607): DataSet {
  const rng = new Rng(seed);
  const spanDays = spanDaysFor(events);
  const out: GenEvent[] = [];
  // A fixed handful of never-ending series: they overlap every query at every N.
  const infiniteEvery = Math.max(7, Math.floor(events / 8));
  let infiniteLeft = 8;
  // And a handful of daily series over the whole span with many overrides.
  const longEvery = Math.max(11, Math.floor(events / LONG_SERIES));
  let longLeft = LONG_SERIES;
  for (let i = 0; i < events; i++) {
    const roll = rng.next();
    const kind: GenEvent['kind'] = roll < 0.8 ? 'single' : roll < 0.95 ? 'recurring' : 'allday';
    const zone = rng.chance(0.25) ? null : rng.pick(ZONES);
    const name = `ev-${String(i).padStart(6, '0')}.ics`;
    const uid = `bench-${seed}-ev-${i}@almanac.test`;
    const summary = `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${i}`;
    if (kind === 'allday') {
      const start = addDays(CAL_START, rng.int(0, spanDays - 1));
      out.push({
        index: i,
        name,
        uid,
        kind,
        zone: null,
        start: { ...start, h: 0, mi: 0 },
        durationMin: 0,
        days: rng.int(1, 3),
        useDuration: false,
        rule: null,
        exdates: [],
        overrides: [],
        summary,
      });
      continue;
    }
    const start = timedStart(rng, spanDays);
    const durationMin = rng.pick([15, 30, 45, 60, 90, 120, 240]);
    if (kind === 'single') {
      out.push({
        index: i,
        name,
        uid,
        kind,
        zone,
        start,
        durationMin,
        days: 0,
        useDuration: rng.chance(0.3),
        rule: null,
        exdates: [],
        overrides: [],
        summary,
      });
      continue;
    }
    if (longLeft > 0 && i % longEvery === 3) {
      longLeft -= 1;
      out.push(longSeries(rng, { index: i, name, uid, summary, start, durationMin: 60 }, spanDays));
      continue;
    }
    const infinite = infiniteLeft > 0 && i % infiniteEvery === 0;
    if (infinite) infiniteLeft -= 1;
    const rule = makeRule(rng, start, zone, infinite);
    // EXDATE and overrides name instances the rule really produces (taken from its first few).
    const first = firstInstances(rule, start, zone, 6);
    const exdates: Local[] = [];
    const overrides: Override[] = [];
    if (first.length > 3 && rng.chance(0.35)) exdates.push(first[rng.int(1, first.length - 1)]!);
    if (first.length > 3 && rng.chance(0.3)) {
      const candidates = first.slice(1).filter((t) => !exdates.some((x) => wallMs(x) === wallMs(t)));
      const rid = candidates[rng.int(0, candidates.length - 1)]!;
      const shiftMin = rng.pick([-120, -60, 90, 180, 24 * 60, 2 * 24 * 60]);
      overrides.push({
        recurrenceId: rid,
        start: fromWallMs(wallMs(rid) + shiftMin * 60_000),
        durationMin: rng.pick([30, 60]),
        summary: `${summary} (moved)`,
      });
    }
    out.push({
      index: i,
      name,
      uid,
      kind,
      zone,
      start,
      durationMin,
      days: 0,
      useDuration: false,
      rule,
      exdates,
      overrides,
      summary,
    });
  }

  const cs: GenContact[] = [];
  for (let i = 0; i < contacts; i++) {
    const given = rng.pick(FIRST);
    const family = `${rng.pick(ROOT)}${rng.pick(SYL)}`;
    const org = rng.pick(ORGS);
    cs.push({
      index: i,
      name: `c-${String(i).padStart(6, '0')}.vcf`,
      uid: `bench-${seed}-c-${i}@almanac.test`,
      fn: `${given} ${family}`,
      given,
      family,
      email: `${given}.${family}.${i}@${org.toLowerCase()}.example`.toLowerCase(),
      tel: `+1-555-${String(1000 + (i % 9000)).padStart(4, '0')}`,
      org,
    });
  }
  return { seed, events: out, contacts: cs, spanStart: CAL_START, spanDays, searchTerms: [] };
}

/** Long daily series per data set, each with LONG_OVERRIDES moved instances and LONG_EXDATES removed ones. */
const LONG_SERIES = 3;
const LONG_OVERRIDES = 48;
const LONG_EXDATES = 12;

/**
 * A daily series from the span's first days to its last instance inside the span (UNTIL on
 * that instance's start: UNTIL is inclusive), in Europe/Berlin or America/New_York, with
 * overrides spread evenly over it (moved by hours or a day, some renamed) and EXDATEs between.
 */
function longSeries(
  rng: Rng,
  base: Pick<GenEvent, 'index' | 'name' | 'uid' | 'summary' | 'start' | 'durationMin'>,
  spanDays: number,
): GenEvent {
  const zone: Zone = base.index % 2 === 0 ? 'Europe/Berlin' : 'America/New_York';
  const start: Local = { ...addDays(CAL_START, rng.int(0, 6)), h: base.start.h, mi: base.start.mi };
  const days = spanDays - 8;
  const last = addDays(start, days - 1);
  const rule: Rule = { freq: 'DAILY', interval: 1, untilUtc: toUtc(last, zone) };
  const exdates: Local[] = [];
  const overrides: Override[] = [];
  const step = Math.floor(days / (LONG_OVERRIDES + LONG_EXDATES + 1));
  for (let k = 1; k <= LONG_OVERRIDES + LONG_EXDATES && k * step < days; k++) {
    const rid = addDays(start, k * step);
    if (k % 5 === 0) {
      exdates.push(rid);
      continue;
    }
    const shiftMin = rng.pick([-120, -60, 30, 90, 180, 24 * 60]);
    overrides.push({
      recurrenceId: rid,
      start: fromWallMs(wallMs(rid) + shiftMin * 60_000),
      durationMin: rng.pick([30, 60, 90]),
      summary: `${base.summary} (moved ${k})`,
    });
  }
  return {
    ...base,
    kind: 'recurring',
    zone,
    start,
    days: 0,
    useDuration: false,
    rule,
    exdates,
    overrides,
  };
}

/** The first `n` rule instances (wall clock), ignoring EXDATE/COUNT/UNTIL bounds beyond n. */
function firstInstances(rule: Rule, start: Local, zone: Zone | null, n: number): Local[] {
  const out: Local[] = [];
  for (const t of ruleInstances(rule, start, zone)) {
    out.push(t);
    if (out.length >= n) break;
  }
  return out;
}

/**
 * Every instance of the rule in order, as wall-clock starts, honouring COUNT and UNTIL (not
 * EXDATE). Independent of the server: a plain implementation of the subset above.
 */
export function* ruleInstances(rule: Rule, start: Local, zone: Zone | null): Generator<Local> {
  let produced = 0;
  const done = (t: Local): boolean => {
    if (rule.count !== undefined && produced >= rule.count) return true;
    if (rule.untilUtc !== undefined && toUtc(t, zone) > rule.untilUtc) return true;
    return false;
  };
  const timeOf = (d: Local): Local => ({ ...d, h: start.h, mi: start.mi });
  if (rule.freq === 'DAILY') {
    for (let k = 0; ; k++) {
      const t = addDays(start, k * rule.interval);
      if (done(t)) return;
      produced++;
      yield t;
    }
  }
  if (rule.freq === 'WEEKLY') {
    const monday = addDays(start, -weekday(start));
    for (let w = 0; ; w += rule.interval) {
      for (const wd of rule.byday) {
        const t = timeOf(addDays(monday, 7 * w + wd));
        if (wallMs(t) < wallMs(start)) continue;
        if (done(t)) return;
        produced++;
        yield t;
      }
    }
  }
  for (let k = 0; ; k += rule.interval) {
    const total = start.m - 1 + k;
    const y = start.y + Math.floor(total / 12);
    const m = (total % 12) + 1;
    const d = 'bymonthday' in rule ? rule.bymonthday : nthWeekdayOfMonth(y, m, rule.nth, rule.weekday);
    if (d > daysInMonth(y, m)) continue;
    const t: Local = { y, m, d, h: start.h, mi: start.mi };
    if (done(t)) return;
    produced++;
    yield t;
  }
}

function ruleText(rule: Rule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.freq === 'WEEKLY') parts.push(`BYDAY=${rule.byday.map((d) => WEEKDAYS[d]).join(',')}`);
  if (rule.freq === 'MONTHLY') {
    if ('bymonthday' in rule) parts.push(`BYMONTHDAY=${rule.bymonthday}`);
    else parts.push(`BYDAY=${rule.nth}${WEEKDAYS[rule.weekday]}`);
  }
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.untilUtc !== undefined) parts.push(`UNTIL=${icsUtc(rule.untilUtc)}`);
  return parts.join(';');
}

function dt(prop: string, t: Local, zone: Zone | null): string {
  return zone === null ? `${prop}:${icsUtc(wallMs(t))}` : `${prop};TZID=${zone}:${icsDateTime(t)}`;
}

/** The event as iCalendar text; `rev` > 0 changes only DESCRIPTION (never times or UID). */
export function renderEvent(e: GenEvent, rev = 0): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Almanac//bench//EN', 'CALSCALE:GREGORIAN'];
  if (e.zone) lines.push(VTIMEZONES[e.zone]);
  const head = ['BEGIN:VEVENT', `UID:${e.uid}`, 'DTSTAMP:20240101T000000Z'];
  if (e.kind === 'allday') {
    lines.push(
      ...head,
      `DTSTART;VALUE=DATE:${icsDate(e.start)}`,
      `DTEND;VALUE=DATE:${icsDate(addDays(e.start, e.days))}`,
    );
  } else {
    lines.push(...head, dt('DTSTART', e.start, e.zone));
    if (e.useDuration) lines.push(`DURATION:PT${e.durationMin}M`);
    else lines.push(dt('DTEND', fromWallMs(wallMs(e.start) + e.durationMin * 60_000), e.zone));
  }
  if (e.rule) lines.push(`RRULE:${ruleText(e.rule)}`);
  for (const x of e.exdates) lines.push(dt('EXDATE', x, e.zone));
  lines.push(`SUMMARY:${e.summary}`, `DESCRIPTION:Benchmark event ${e.index} revision ${rev}`, 'END:VEVENT');
  for (const o of e.overrides) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      'DTSTAMP:20240101T000000Z',
      dt('RECURRENCE-ID', o.recurrenceId, e.zone),
      dt('DTSTART', o.start, e.zone),
      dt('DTEND', fromWallMs(wallMs(o.start) + o.durationMin * 60_000), e.zone),
      `SUMMARY:${o.summary}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

export function renderContact(c: GenContact, rev = 0): string {
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${c.uid}`,
    `FN:${c.fn}`,
    `N:${c.family};${c.given};;;`,
    `EMAIL;TYPE=INTERNET:${rev === 0 ? c.email : c.email.replace('@', `+r${rev}@`)}`,
    `TEL;TYPE=CELL:${c.tel}`,
    `ORG:${c.org}`,
    'END:VCARD',
    '',
  ].join('\r\n');
}

/** An event far outside every query window, for the sync phase's creations. */
export function extraEvent(seed: number, k: number): GenEvent {
  return {
    index: 900_000 + k,
    name: `ev-extra-${k}.ics`,
    uid: `bench-${seed}-extra-${k}@almanac.test`,
    kind: 'single',
    zone: null,
    start: { y: 2099, m: 6, d: 1 + k, h: 10, mi: 0 },
    durationMin: 60,
    days: 0,
    useDuration: false,
    rule: null,
    exdates: [],
    overrides: [],
    summary: `Extra ${k}`,
  };
}

/**
 * `n` distinct FN search terms from the vocabulary, in a fixed shuffled order: whole family
 * names (about M/500 matches each) and "Given Root" prefixes (about M/1,000).
 */
export function fnTerms(n: number): string[] {
  const all: string[] = [];
  for (const r of ROOT) for (const s of SYL) all.push(`${r}${s}`.toLowerCase());
  for (const f of FIRST) for (const r of ROOT) all.push(`${f} ${r}`);
  const rng = new Rng(0xf17);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, n);
}
