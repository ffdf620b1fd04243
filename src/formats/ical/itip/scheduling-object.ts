/**
 * A scheduling object resource (RFC 6638 §3.1) read for iTIP: its UID, organizer, and the
 * attendees of each component (the master and its overrides, keyed by RECURRENCE-ID).
 */
import { ICAL, type IcalComponent, type IcalProperty } from '../ical.js';

const SCHEDULED = ['vevent', 'vtodo'] as const;

/** A calendar user address compared the way RFC 6638 §3.1 needs: mailto: case-insensitive, trimmed. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  return /^mailto:/i.test(a) ? `mailto:${a.slice(7).toLowerCase()}` : a;
}

/** The RECURRENCE-ID of a component as a key ('' for the master). */
export function instanceKey(comp: IcalComponent): string {
  const rid = comp.getFirstPropertyValue('recurrence-id') as { toString(): string } | null;
  return rid ? rid.toString() : '';
}

export function parseItip(text: string): IcalComponent {
  return new ICAL.Component(ICAL.parse(text) as unknown[]);
}

/** The scheduled components (VEVENT or VTODO) of a VCALENDAR, by instance key. */
export function components(root: IcalComponent): Map<string, IcalComponent> {
  const out = new Map<string, IcalComponent>();
  for (const name of SCHEDULED) for (const c of root.getAllSubcomponents(name)) out.set(instanceKey(c), c);
  return out;
}

export function organizerOf(root: IcalComponent): string | null {
  for (const c of components(root).values()) {
    const v = c.getFirstPropertyValue('organizer');
    if (typeof v === 'string' && v.trim()) return normalizeAddress(v);
  }
  return null;
}

export function uidOf(root: IcalComponent): string | null {
  for (const c of components(root).values()) {
    const v = c.getFirstPropertyValue('uid');
    if (typeof v === 'string') return v;
  }
  return null;
}

/** An ATTENDEE property's address. */
export function addressOf(p: IcalProperty): string {
  return normalizeAddress(String(p.getFirstValue()));
}

/** RFC 6638 §7.1 SCHEDULE-AGENT: SERVER (default) means this server schedules for that user. */
export function serverSchedules(p: IcalProperty): boolean {
  const agent = p.getParameter('schedule-agent');
  return agent === undefined || agent === null || String(agent).toUpperCase() === 'SERVER';
}

/** The ATTENDEE properties of a component, keyed by address. */
export function attendeesOf(comp: IcalComponent): Map<string, IcalProperty> {
  const out = new Map<string, IcalProperty>();
  for (const p of comp.getAllProperties('attendee')) out.set(addressOf(p), p);
  return out;
}

/** The attendee entry of one of `addresses` in a component. */
export function findAttendee(comp: IcalComponent, addresses: ReadonlySet<string>): IcalProperty | null {
  for (const p of comp.getAllProperties('attendee')) if (addresses.has(addressOf(p))) return p;
  return null;
}

export function partstatOf(p: IcalProperty | null): string {
  const v = p?.getParameter('partstat');
  return v ? String(v).toUpperCase() : 'NEEDS-ACTION';
}

/** The attendee entry of one of `addresses` in a component, with its PARTSTAT. */
export function findAttendeeIn(
  comp: IcalComponent,
  addresses: ReadonlySet<string>,
): { readonly partstat: string } | null {
  const p = findAttendee(comp, addresses);
  return p ? { partstat: partstatOf(p) } : null;
}
