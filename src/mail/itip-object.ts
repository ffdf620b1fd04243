import { ICAL, type IcalComponent, type IcalProperty } from '../formats/ical/ical.js';
import { indexCalendarObject } from '../formats/ical/object-index.js';
import { parseCalendar } from '../formats/ical/parse.js';

/** The scheduling components of iTIP (RFC 5546 §1.4); VTIMEZONE only travels with them. */
const ITIP_COMPONENTS = ['vevent', 'vtodo', 'vjournal', 'vfreebusy'] as const;

/** What the mail layer needs to know of an iTIP object (RFC 5546 §3): no scheduling rules. */
export interface ItipObject {
  /** METHOD, upper case (RFC 5546 §1.4). */
  readonly method: string;
  /** VEVENT, VTODO, VJOURNAL or VFREEBUSY. */
  readonly component: string;
  readonly uid: string;
  readonly summary: string;
  /** ORGANIZER as a lower-case email address (mailto: removed); null when absent (Outlook REPLYs). */
  readonly organizer: string | null;
  readonly organizerName: string | null;
  /** Every ATTENDEE as a lower-case email address, in order, without repeats. */
  readonly attendees: readonly string[];
  /** First DTSTART of the main component (ms), or null. */
  readonly start: number | null;
  /** Latest instant any instance may occupy (ms); null = open-ended or unknown. */
  readonly lastEnd: number | null;
  readonly location: string | null;
}

/**
 * `mailto:A@B` (RFC 6047 §2.3) → `A@B` as written, to send to (RFC 5321 §2.4: a local part is
 * case-sensitive for the mail system that owns it); anything else → null.
 */
export function mailtoTarget(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^mailto:(.+)$/i.exec(value.trim());
  if (!m) return null;
  try {
    return decodeURIComponent(m[1] as string).trim();
  } catch {
    return null; // a malformed %-escape
  }
}

/** `mailto:A@B` → `a@b`, for comparing addresses (senders, ORGANIZER, ATTENDEE); else null. */
export function mailtoAddress(value: unknown): string | null {
  return mailtoTarget(value)?.toLowerCase() ?? null;
}

function text(c: IcalComponent, name: string): string | null {
  const v = c.getFirstPropertyValue(name);
  return typeof v === 'string' && v !== '' ? v : null;
}

function mainComponents(root: IcalComponent): { name: string; list: IcalComponent[] } {
  for (const name of ITIP_COMPONENTS) {
    const list = root.getAllSubcomponents(name);
    if (list.length > 0) return { name, list };
  }
  throw new Error('no VEVENT, VTODO, VJOURNAL or VFREEBUSY in the iTIP object');
}

function attendeesOf(list: readonly IcalComponent[]): string[] {
  const out = new Set<string>();
  for (const c of list) {
    for (const p of c.getAllProperties('attendee')) {
      const a = mailtoAddress((p as IcalProperty).getFirstValue());
      if (a !== null) out.add(a);
    }
  }
  return [...out];
}

function bounds(root: IcalComponent, name: string): { start: number | null; lastEnd: number | null } {
  if (name !== 'vevent' && name !== 'vtodo') return { start: null, lastEnd: null };
  try {
    const index = indexCalendarObject(root, name.toUpperCase());
    return { start: index.firstStart, lastEnd: index.lastEnd };
  } catch {
    return { start: null, lastEnd: null };
  }
}

/** Read an iTIP message's iCalendar text; throws with a one-line reason when it is not one. */
export function readItipObject(icsText: string): ItipObject {
  const root = parseCalendar(icsText);
  const method = text(root, 'method');
  if (method === null) throw new Error('the iCalendar object has no METHOD (RFC 5546 §1.4)');
  const { name, list } = mainComponents(root);
  const first = list[0] as IcalComponent;
  const uid = text(first, 'uid');
  if (uid === null && name !== 'vfreebusy') throw new Error(`the ${name.toUpperCase()} has no UID`);
  const organizerProp = list.map((c) => c.getFirstProperty('organizer')).find((p) => p !== null) ?? null;
  const startValue = first.getFirstPropertyValue('dtstart');
  const span = bounds(root, name);
  return {
    method: method.toUpperCase(),
    component: name.toUpperCase(),
    uid: uid ?? '',
    summary: text(first, 'summary') ?? '',
    organizer: organizerProp ? mailtoAddress(organizerProp.getFirstValue()) : null,
    organizerName: organizerProp ? ((organizerProp.getParameter('cn') as string | undefined) ?? null) : null,
    attendees: attendeesOf(list),
    start: startValue instanceof ICAL.Time ? startValue.toJSDate().getTime() : span.start,
    lastEnd: span.lastEnd,
    location: text(first, 'location'),
  };
}

/**
 * Whether an iTIP object concerns only the past: every instance ended before `now`. Nothing is
 * sent by email for such an object (issue #16: "nothing is sent for events in the past"),
 * whatever its METHOD; an object without bounds (open-ended, VJOURNAL, VFREEBUSY) is never past.
 */
export function isWhollyPast(obj: ItipObject, now: number): boolean {
  return obj.lastEnd !== null && obj.lastEnd <= now;
}
