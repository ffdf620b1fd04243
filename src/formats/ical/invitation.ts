/**
 * What waits in the user's scheduling inbox for them to act on (RFC 6638 §4), as a client that
 * reads the inbox shows and answers it: an invitation (an iTIP REQUEST the server did not process
 * into a calendar) and the calendar object the user's answer makes of it; a counter-proposal
 * (RFC 5546 §3.2.7 COUNTER, which the server never applies by itself) and the organizer's event
 * with the proposal taken. Pure; used by the browser.
 */
import { stamp } from './edit-time.js';
import type { IcalComponent } from './ical.js';
import { applyRequest } from './itip/attendee-copy.js';
import { components, instanceKey, parseItip, uidOf } from './itip/scheduling-object.js';
import { attendeesOf, organizerOf, respond, type Me, type PartStat, type Person } from './participants.js';

export interface Invitation {
  readonly uid: string;
  readonly summary: string;
  /** The start of the first instance the request holds; null without DTSTART. */
  readonly start: Date | null;
  readonly allDay: boolean;
  readonly organizer: Person | null;
  readonly sequence: number;
}

type IcalTimeValue = { toJSDate(): Date; isDate: boolean };

/** The message's first scheduled component and UID when its METHOD is `method`; null for anything else or unreadable text. */
function messageOf(text: string, method: string): { root: IcalComponent; comp: IcalComponent; uid: string } | null {
  let root: IcalComponent;
  try {
    root = parseItip(text);
  } catch {
    return null;
  }
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== method) return null;
  const uid = uidOf(root);
  const comp = root.getFirstSubcomponent('vevent') ?? root.getFirstSubcomponent('vtodo');
  return uid && comp ? { root, comp, uid } : null;
}

const timeOf = (comp: IcalComponent, name: string): IcalTimeValue | null =>
  comp.getFirstPropertyValue(name) as IcalTimeValue | null;

/** The invitation an inbox message is, or null for anything else (a REPLY, a CANCEL, unreadable text). */
export function readInvitation(text: string): Invitation | null {
  const m = messageOf(text, 'REQUEST');
  if (!m) return null;
  const start = timeOf(m.comp, 'dtstart');
  return {
    uid: m.uid,
    summary: String(m.comp.getFirstPropertyValue('summary') ?? ''),
    start: start ? start.toJSDate() : null,
    allDay: start?.isDate ?? false,
    organizer: organizerOf(m.comp),
    sequence: Number(m.comp.getFirstPropertyValue('sequence') ?? 0) || 0,
  };
}

export interface Proposal {
  readonly uid: string;
  /** The attendee who proposes (the one ATTENDEE a COUNTER carries, RFC 5546 §3.2.7). */
  readonly from: Person | null;
  readonly start: Date | null;
  readonly end: Date | null;
  readonly allDay: boolean;
  /** Their COMMENT, if any. */
  readonly comment: string;
  /** The instance it is about ('' = the whole event). */
  readonly instance: string;
}

/** The counter-proposal an inbox message is (METHOD:COUNTER), or null. */
export function readProposal(text: string): Proposal | null {
  const m = messageOf(text, 'COUNTER');
  if (!m) return null;
  const start = timeOf(m.comp, 'dtstart');
  const end = timeOf(m.comp, 'dtend');
  const duration = m.comp.getFirstPropertyValue('duration') as { toSeconds(): number } | null;
  const from = attendeesOf(m.comp)[0];
  return {
    uid: m.uid,
    from: from ? { email: from.email, name: from.name } : null,
    start: start ? start.toJSDate() : null,
    end: end
      ? end.toJSDate()
      : start && duration
        ? new Date(start.toJSDate().getTime() + duration.toSeconds() * 1000)
        : null,
    allDay: start?.isDate ?? false,
    comment: String(m.comp.getFirstPropertyValue('comment') ?? ''),
    instance: instanceKey(m.comp),
  };
}

/** Replaced together: a proposal's time is its DTSTART with DTEND or DURATION. */
const TIMES = ['dtstart', 'dtend', 'duration'];

/**
 * The organizer's event with a counter-proposal taken (RFC 5546 §3.2.7: the organizer accepts by
 * sending a new REQUEST — stored, the server's implicit scheduling sends it to every attendee,
 * SEQUENCE raised): the proposed start with its end or duration replaces the event's, and a
 * proposed LOCATION the event's (one the proposal leaves out is kept: clients omit it), on the
 * instance the proposal is about; the time zones it uses come along. Throws when the event has no
 * such instance.
 */
export function acceptProposal(event: string, counter: string): string {
  const root = parseItip(event);
  const proposal = parseItip(counter);
  const incoming = proposal.getFirstSubcomponent('vevent') ?? proposal.getFirstSubcomponent('vtodo');
  const target = incoming ? components(root).get(instanceKey(incoming)) : undefined;
  if (!incoming || !target) throw new Error('the proposal is about an occurrence this event does not have');
  const taken = incoming.hasProperty('dtstart') ? [...TIMES] : [];
  if (incoming.hasProperty('location')) taken.push('location');
  for (const name of taken) {
    target.removeAllProperties(name);
    for (const p of incoming.getAllProperties(name)) target.addProperty(p);
  }
  const zones = new Set(root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')));
  for (const zone of proposal.getAllSubcomponents('vtimezone'))
    if (!zones.has(zone.getFirstPropertyValue('tzid'))) root.addSubcomponent(zone);
  stamp(target);
  return root.toString() + '\r\n';
}

/**
 * The calendar object the user's answer makes of a REQUEST (RFC 6638 §3.2.2): the request without
 * METHOD (RFC 4791 §4.1: no METHOD in a calendar object resource), their PARTSTAT and comment on
 * every instance that lists them. Stored in a calendar, it makes the server send the REPLY.
 */
export function answerInvitation(request: string, me: Me, status: PartStat, comment: string): string {
  const copy = parseItip(applyRequest(null, parseItip(request)));
  respond(copy, me, status, comment);
  return copy.toString() + '\r\n';
}
