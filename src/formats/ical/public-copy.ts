import type { IcalComponent } from './ical.js';

/** Components a public feed carries; journals (notes) and anything else stay private. */
const PUBLISHED = new Set(['vevent', 'vtodo']);

/**
 * What a busy-only copy keeps (RFC 5545 §3.8.1.3 CLASS): when and how often, never what. The
 * same rule as RFC 4791 §9.6's free-busy view of an event, applied to a calendar's own copy.
 */
const BUSY_ONLY_KEEPS = new Set([
  'uid',
  'dtstamp',
  'dtstart',
  'dtend',
  'duration',
  'due',
  'rrule',
  'rdate',
  'exdate',
  'recurrence-id',
  'sequence',
  'status',
  'transp',
  'class',
]);

/** Properties never published: other people's addresses (RFC 5545 §3.8.4.1, §3.8.4.3). */
const NEVER = new Set(['attendee', 'organizer']);

/**
 * The public copy of one stored calendar object (a VCALENDAR), in place: VTIMEZONEs and the
 * events and tasks stay; alarms (§3.6.6, the owner's own reminders) and attendee/organizer
 * addresses go; an item whose CLASS is PRIVATE or CONFIDENTIAL keeps only its times and
 * recurrence, with `busyLabel` as its SUMMARY. Returns false when nothing of it is published.
 */
export function publicCopy(root: IcalComponent, busyLabel: string): boolean {
  let kept = false;
  for (const sub of [...root.getAllSubcomponents()]) {
    if (sub.name === 'vtimezone') continue;
    if (!PUBLISHED.has(sub.name)) {
      root.removeSubcomponent(sub);
      continue;
    }
    for (const inner of [...sub.getAllSubcomponents()]) sub.removeSubcomponent(inner);
    const cls = String(sub.getFirstPropertyValue('class') ?? 'PUBLIC').toUpperCase();
    const busyOnly = cls === 'PRIVATE' || cls === 'CONFIDENTIAL';
    for (const p of [...sub.getAllProperties()]) {
      if (NEVER.has(p.name) || (busyOnly && !BUSY_ONLY_KEEPS.has(p.name))) sub.removeProperty(p);
    }
    if (busyOnly) sub.addPropertyWithValue('summary', busyLabel);
    kept = true;
  }
  return kept;
}
