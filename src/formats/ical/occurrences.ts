/**
 * The occurrences of a calendar object's events in a time range, as a calendar view shows them.
 * The walk is the server's: recurrence sets and instances (instances.ts: RRULE, RDATE, EXDATE,
 * overrides, RANGE=THISANDFUTURE), spans and the RFC 4791 §9.9 overlap test (time-range.ts), all
 * under the bounds of limits.ts and recurrence-guard.ts, so a hostile RRULE costs a browser tab
 * no more than it costs the server.
 */
import { viewerZone } from './edit-time.js';
import type { IcalComponent, IcalTimezone } from './ical.js';
import { instancesOf, isRecurringComponent, recurrenceKey, recurrenceSets, type RecurrenceSet } from './instances.js';
import { eventInterval, intervalOverlaps } from './time-range.js';

/** One occurrence on screen. */
export interface Occurrence {
  readonly uid: string;
  readonly title: string;
  readonly location: string;
  readonly start: Date;
  readonly end: Date;
  readonly allDay: boolean;
  readonly recurring: boolean;
  /** RECURRENCE-ID of this instance (iCalendar text), null for a non-recurring event. */
  readonly recurrenceId: string | null;
  /** This is the first instance of the series. */
  readonly first: boolean;
}

/**
 * Occurrences of a calendar object's events that overlap [from, to); floating times in `floating`
 * (the viewer's zone unless the calendar shows another), all-day ones as local midnights.
 */
export function expand(
  vcal: IcalComponent,
  from: Date,
  to: Date,
  floating: IcalTimezone | null = viewerZone(),
): Occurrence[] {
  const out: Occurrence[] = [];
  for (const set of recurrenceSets(vcal, 'vevent')) {
    try {
      out.push(...occurrencesOf(set, from.getTime(), to.getTime(), floating));
    } catch (err) {
      // A bound of limits.ts (or a rule ical.js cannot walk): this series shows nothing, the rest do.
      console.warn(`cannot expand ${set.uid}:`, (err as Error).message);
    }
  }
  return out;
}

function occurrencesOf(set: RecurrenceSet, from: number, to: number, floating: IcalTimezone | null): Occurrence[] {
  const recurring = set.overrides.length > 0 || (set.master !== null && isRecurringComponent(set.master));
  const found: { occurrence: Omit<Occurrence, 'first'>; key: number }[] = [];
  let firstKey = Infinity;
  for (const inst of instancesOf(set, { floating, until: to })) {
    const key = inst.recurrenceId ? recurrenceKey(inst.recurrenceId) : -Infinity;
    if (key < firstKey) firstKey = key;
    const span = eventInterval(inst, floating);
    if (
      !span ||
      !inst.start ||
      !intervalOverlaps(span.start, Math.max(span.end, span.start), span.positive, { start: from, end: to })
    )
      continue;
    const c = inst.component;
    // A DATE is the same day in every zone (RFC 5545 §3.3.4): all-day occurrences are given as the
    // viewer's local midnights, whatever zone `floating` names.
    const allDay = inst.start.isDate;
    const days = Math.max(1, Math.round((span.end - span.start) / 86_400_000));
    const s = inst.start;
    found.push({
      key,
      occurrence: {
        uid: set.uid,
        title: String(c.getFirstPropertyValue('summary') ?? '') || '(no title)',
        location: String(c.getFirstPropertyValue('location') ?? ''),
        start: allDay ? new Date(s.year, s.month - 1, s.day) : new Date(span.start),
        end: allDay ? new Date(s.year, s.month - 1, s.day + days) : new Date(Math.max(span.end, span.start)),
        allDay,
        recurring: recurring && inst.recurrenceId !== null,
        recurrenceId: inst.recurrenceId ? inst.recurrenceId.toString() : null,
      },
    });
  }
  return found.map((f) => ({ ...f.occurrence, first: f.key === firstKey }));
}
