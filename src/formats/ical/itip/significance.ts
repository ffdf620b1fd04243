/**
 * Whether an organizer's change needs the attendees to look again (RFC 5546 §2.1.4: the
 * SEQUENCE is bumped "whenever a significant change is made"; RFC 6638 §3.2.8 leaves the list to
 * the server). Significant: time and recurrence, what and where, status, and who is invited.
 * Not: DTSTAMP, LAST-MODIFIED, SEQUENCE itself, alarms, participation status, SCHEDULE-* and
 * X- properties.
 */
import type { IcalComponent } from '../ical.js';
import { addressOf, components } from './scheduling-object.js';

const SIGNIFICANT = [
  'dtstart',
  'dtend',
  'duration',
  'due',
  'rrule',
  'rdate',
  'exdate',
  'summary',
  'location',
  'description',
  'status',
  'organizer',
];

/** The significant content of one component, as a comparable string. */
function fingerprint(comp: IcalComponent): string {
  const parts: string[] = [];
  for (const name of SIGNIFICANT) {
    for (const p of comp.getAllProperties(name))
      parts.push(`${name}=${p.getValues().map(String).join(',')};${String(p.getParameter('tzid') ?? '')}`);
  }
  const attendees = comp.getAllProperties('attendee').map(addressOf).sort();
  parts.push(`attendees=${attendees.join(',')}`);
  return parts.join('\n');
}

/** True when the instances differ, or any instance differs significantly. */
export function significantlyChanged(before: IcalComponent, after: IcalComponent): boolean {
  const a = components(before);
  const b = components(after);
  if (a.size !== b.size) return true;
  for (const [key, comp] of b) {
    const old = a.get(key);
    if (!old || fingerprint(old) !== fingerprint(comp)) return true;
  }
  return false;
}

/** The highest SEQUENCE of the components (RFC 5545 §3.8.7.4; absent = 0). */
export function sequenceOf(root: IcalComponent): number {
  let max = 0;
  for (const c of components(root).values()) max = Math.max(max, Number(c.getFirstPropertyValue('sequence') ?? 0) || 0);
  return max;
}

/** Set SEQUENCE on every component. */
export function setSequence(root: IcalComponent, seq: number): void {
  for (const c of components(root).values()) c.updatePropertyWithValue('sequence', seq);
}
