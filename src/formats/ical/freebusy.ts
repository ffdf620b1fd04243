import { ICAL, type IcalComponent, type IcalTimezone } from './ical.js';
import { instancesOf, recurrenceSets } from './instances.js';
import { overlappingTriples } from './interval-index.js';
import { eventSpan, instanceOverlaps } from './time-range.js';
import { toMs, utcText } from './time.js';
import type { Work } from './work.js';

type FreeBusyType = 'BUSY' | 'BUSY-TENTATIVE' | 'BUSY-UNAVAILABLE';

export interface BusyPeriod {
  readonly start: number;
  readonly end: number;
  readonly type: FreeBusyType;
}

export interface BoundedRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Busy time of one calendar object inside a range (RFC 4791 §7.10): VEVENT instances unless
 * TRANSP:TRANSPARENT or STATUS:CANCELLED (TENTATIVE → BUSY-TENTATIVE), and the FREEBUSY
 * periods of VFREEBUSY components other than FBTYPE=FREE. As Work (work.ts): it pauses after
 * every instance.
 */
export function* busyPeriodsWork(
  root: IcalComponent,
  range: BoundedRange,
  floating: IcalTimezone | null,
): Work<BusyPeriod[]> {
  const out: BusyPeriod[] = [];
  const clip = (start: number, end: number, type: FreeBusyType): void => {
    const s = Math.max(start, range.start);
    const e = Math.min(end, range.end);
    if (e > s) out.push({ start: s, end: e, type });
  };
  for (const set of recurrenceSets(root, 'vevent')) {
    for (const inst of instancesOf(set, { floating, until: range.end, from: range.start })) {
      yield;
      const c = inst.component;
      if (String(c.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT') continue;
      const status = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
      if (status === 'CANCELLED') continue;
      if (!instanceOverlaps(inst, range, floating)) continue;
      const span = eventSpan(inst, floating);
      if (span) clip(span.start, span.end, status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY');
    }
  }
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    for (const p of fb.getAllProperties('freebusy')) {
      const type = String(p.getParameter('fbtype') ?? 'BUSY').toUpperCase();
      if (type === 'FREE') continue;
      for (const v of p.getValues()) {
        const period = v as InstanceType<typeof ICAL.Period>;
        clip(
          toMs(period.start, floating),
          toMs(period.getEnd(), floating),
          (['BUSY-TENTATIVE', 'BUSY-UNAVAILABLE'].includes(type) ? type : 'BUSY') as FreeBusyType,
        );
      }
    }
  }
  return out;
}

/**
 * The busy periods of an event whose every instance is plainly busy, from its (start, end,
 * positive) instance triples (time-range.ts `eventIntervals`): each triple that overlaps the
 * range (RFC 4791 §9.9) clipped to it, exactly as `busyPeriodsWork` clips each instance's span.
 */
export function busyFromIntervals(triples: Float64Array, range: BoundedRange): BusyPeriod[] {
  const out: BusyPeriod[] = [];
  for (const k of overlappingTriples(triples, range)) {
    const start = triples[k] as number;
    const end = triples[k + 1] as number;
    const s = Math.max(start, range.start);
    const e = Math.min(end, range.end);
    if (e > s) out.push({ start: s, end: e, type: 'BUSY' });
  }
  return out;
}

/** Sort and merge overlapping periods of the same type. */
function mergePeriods(periods: readonly BusyPeriod[]): BusyPeriod[] {
  const out: BusyPeriod[] = [];
  for (const type of ['BUSY', 'BUSY-TENTATIVE', 'BUSY-UNAVAILABLE'] as const) {
    const list = periods.filter((p) => p.type === type).sort((a, b) => a.start - b.start);
    const merged: BusyPeriod[] = [];
    for (const p of list) {
      const last = merged[merged.length - 1];
      if (last && p.start <= last.end)
        merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, p.end), type };
      else merged.push(p);
    }
    for (const p of merged) out.push(p); // no spread: a century of busy time is a long list
  }
  return out.sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
}

/** `utcText`, for instants a free-busy answer holds (inside a parsed range, or now): never outside 0–9999. */
function utc(ms: number): string {
  const text = utcText(ms);
  if (text === null) throw new RangeError(`no UTC DATE-TIME for ${ms}`);
  return text;
}

/**
 * The VFREEBUSY answer of a free-busy-query (RFC 4791 §7.10, example in §7.10.1), written as
 * text: the lines ical.js writes for this fixed shape (one period per FREEBUSY, FBTYPE when not
 * BUSY, none longer than 75 octets, so none folded), without building its component tree
 * (issue #20: that was an eighth of a free-busy-query's time).
 */
export function freeBusyCalendar(range: BoundedRange, periods: readonly BusyPeriod[], now: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac//CalDAV//EN',
    'BEGIN:VFREEBUSY',
    `DTSTAMP:${utc(now)}`,
    `DTSTART:${utc(range.start)}`,
    `DTEND:${utc(range.end)}`,
  ];
  for (const p of mergePeriods(periods)) {
    lines.push(`FREEBUSY${p.type === 'BUSY' ? '' : `;FBTYPE=${p.type}`}:${utc(p.start)}/${utc(p.end)}`);
  }
  lines.push('END:VFREEBUSY', 'END:VCALENDAR', '');
  return lines.join('\r\n');
}
