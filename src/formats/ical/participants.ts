/**
 * Who takes part in an event, as the web app's editor shows and edits it: the ORGANIZER and the
 * ATTENDEEs (RFC 5545 §3.8.4.1, §3.8.4.3) with their participation status (§3.2.12 PARTSTAT),
 * role (§3.2.16) and reply comment. The organizer's editor changes the attendee list; an
 * attendee's client changes only its own PARTSTAT (RFC 6638 §3.2.2.1: what an attendee may
 * change), and the server's implicit scheduling sends the iTIP messages (RFC 6638 §3.2).
 * Pure functions on ical.js components, used by the browser.
 */
import { stamp } from './edit-time.js';
import { ICAL, type IcalComponent, type IcalProperty } from './ical.js';

export type PartStat = 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' | 'DELEGATED';
type Role = 'CHAIR' | 'REQ-PARTICIPANT' | 'OPT-PARTICIPANT' | 'NON-PARTICIPANT';

export interface Person {
  /** The address without `mailto:`. */
  readonly email: string;
  readonly name: string;
}

export interface Participant extends Person {
  readonly status: string;
  readonly role: string;
  /** The attendee's reply comment (X-RESPONSE-COMMENT, as Apple and Nextcloud write it). */
  readonly comment: string;
}

/** The user the app runs as: their calendar user addresses (RFC 6638 §2.4.1) and name. */
export interface Me {
  readonly emails: readonly string[];
  readonly name: string;
}

const PARTSTATS: readonly PartStat[] = ['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED'];

/** `mailto:` stripped, compared without case (RFC 5321 §2.4 local parts aside, as every client does). */
function addressOf(value: unknown): string {
  return String(value ?? '')
    .trim()
    .replace(/^mailto:/i, '');
}

/** What a user types as an attendee: `Ana Lima <ana@example.com>`, `ana@example.com` or `mailto:…`; null without an address. */
export function personOf(text: string): Person | null {
  const m =
    /^\s*(?:"?([^"<]*?)"?\s*)?<\s*(?:mailto:)?([^\s<>@]+@[^\s<>@]+)\s*>\s*$/i.exec(text) ??
    /^\s*()(?:mailto:)?([^\s<>@]+@[^\s<>@]+)\s*$/i.exec(text);
  if (!m?.[2]) return null;
  return { name: (m[1] ?? '').trim(), email: m[2] };
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function isMe(me: Me, email: string): boolean {
  return me.emails.some((m) => same(m, email));
}

function participantOf(p: IcalProperty): Participant {
  return {
    email: addressOf(p.getFirstValue()),
    name: String(p.getParameter('cn') ?? ''),
    status: String(p.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase(),
    role: String(p.getParameter('role') ?? 'REQ-PARTICIPANT').toUpperCase(),
    comment: String(p.getParameter('x-response-comment') ?? ''),
  };
}

export function organizerOf(comp: IcalComponent): Person | null {
  const p = comp.getFirstProperty('organizer');
  if (!p) return null;
  return { email: addressOf(p.getFirstValue()), name: String(p.getParameter('cn') ?? '') };
}

export function attendeesOf(comp: IcalComponent): Participant[] {
  return comp.getAllProperties('attendee').map(participantOf);
}

/**
 * The user's part in an event: its organizer (or no scheduling at all: the owner edits freely),
 * or one of its attendees (their copy of someone else's meeting: only the reply is theirs).
 */
export function myPart(comp: IcalComponent, me: Me): 'organizer' | 'attendee' | 'none' {
  const org = organizerOf(comp);
  if (!org || comp.getAllProperties('attendee').length === 0) return 'none';
  if (isMe(me, org.email)) return 'organizer';
  return attendeesOf(comp).some((a) => isMe(me, a.email)) ? 'attendee' : 'none';
}

function attendeeProperty(a: Person, role: Role, status: PartStat, rsvp: boolean): IcalProperty {
  const p = new ICAL.Property('attendee');
  p.setValue(`mailto:${a.email}`);
  if (a.name) p.setParameter('cn', a.name);
  p.setParameter('cutype', 'INDIVIDUAL');
  p.setParameter('role', role);
  p.setParameter('partstat', status);
  if (rsvp) p.setParameter('rsvp', 'TRUE');
  return p;
}

/**
 * The organizer's editor wrote this attendee list (an entry for the organizer is ignored). With
 * nobody invited the event is a plain one again (no ORGANIZER, no ATTENDEE). Otherwise ORGANIZER
 * is the event's organizer (or `newOrganizer`, the user, for a new meeting) and also an ATTENDEE (CHAIR, ACCEPTED), as Apple
 * Calendar and Thunderbird write it; attendees kept keep their properties as they were (their
 * PARTSTAT is theirs), new ones are NEEDS-ACTION with RSVP=TRUE, removed ones go.
 */
export function applyAttendees(comp: IcalComponent, attendees: readonly Person[], newOrganizer: Person | null): void {
  const organizer = organizerOf(comp) ?? newOrganizer;
  const invited = attendees.filter((a) => a.email && !(organizer && same(a.email, organizer.email)));
  if (invited.length === 0) {
    comp.removeAllProperties('attendee');
    comp.removeAllProperties('organizer');
    return;
  }
  if (!organizer?.email)
    throw new Error('a meeting needs an organizer address: set an e-mail address for your account');
  if (!comp.hasProperty('organizer')) {
    const p = new ICAL.Property('organizer');
    p.setValue(`mailto:${organizer.email}`);
    if (organizer.name) p.setParameter('cn', organizer.name);
    comp.addProperty(p);
  }
  const old = comp.getAllProperties('attendee');
  const keep = (email: string): IcalProperty | undefined => old.find((p) => same(addressOf(p.getFirstValue()), email));
  comp.removeAllProperties('attendee');
  comp.addProperty(keep(organizer.email) ?? attendeeProperty(organizer, 'CHAIR', 'ACCEPTED', false));
  const seen = new Set([organizer.email.toLowerCase()]);
  for (const a of invited) {
    if (seen.has(a.email.toLowerCase())) continue;
    seen.add(a.email.toLowerCase());
    comp.addProperty(keep(a.email) ?? attendeeProperty(a, 'REQ-PARTICIPANT', 'NEEDS-ACTION', true));
  }
}

/**
 * The attendee's reply in their own copy: their PARTSTAT (and comment) on every component of
 * the object that lists them, or — with `recurrenceId` — on that one occurrence's override only
 * (made from the master when there is none: RFC 5545 §3.8.4.4, RFC 5546 §3.2.3 per-instance
 * replies). RSVP is answered, so it goes. Nothing else changes (RFC 6638 §3.2.2.1); SEQUENCE
 * is the organizer's.
 */
export function respond(
  vcal: IcalComponent,
  me: Me,
  status: PartStat,
  comment: string,
  override?: IcalComponent,
): void {
  if (!PARTSTATS.includes(status)) throw new Error(`unknown participation status ${status}`);
  const comps = override ? [override] : vcal.getAllSubcomponents('vevent');
  let found = false;
  for (const comp of comps) {
    for (const p of comp.getAllProperties('attendee')) {
      if (!isMe(me, addressOf(p.getFirstValue()))) continue;
      found = true;
      p.setParameter('partstat', status);
      p.removeParameter('rsvp');
      if (comment.trim()) p.setParameter('x-response-comment', comment.trim());
      else p.removeParameter('x-response-comment');
    }
    stamp(comp);
  }
  if (!found) throw new Error('you are not among the attendees of this event');
}
