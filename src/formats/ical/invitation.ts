/**
 * An invitation waiting in the user's scheduling inbox (RFC 6638 §4: an iTIP REQUEST the server
 * did not process into a calendar), as a client that reads the inbox shows and answers it: what
 * it is, and the calendar object the user's answer makes of it. Pure; used by the browser.
 */
import { applyRequest } from './itip/attendee-copy.js';
import { parseItip, uidOf } from './itip/scheduling-object.js';
import { organizerOf, respond, type Me, type PartStat, type Person } from './participants.js';

export interface Invitation {
  readonly uid: string;
  readonly summary: string;
  /** The start of the first instance the request holds; null without DTSTART. */
  readonly start: Date | null;
  readonly allDay: boolean;
  readonly organizer: Person | null;
  readonly sequence: number;
}

/** The invitation an inbox message is, or null for anything else (a REPLY, a CANCEL, unreadable text). */
export function readInvitation(text: string): Invitation | null {
  let root;
  try {
    root = parseItip(text);
  } catch {
    return null;
  }
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REQUEST') return null;
  const uid = uidOf(root);
  const comp = root.getFirstSubcomponent('vevent') ?? root.getFirstSubcomponent('vtodo');
  if (!uid || !comp) return null;
  const start = comp.getFirstPropertyValue('dtstart') as { toJSDate(): Date; isDate: boolean } | null;
  return {
    uid,
    summary: String(comp.getFirstPropertyValue('summary') ?? ''),
    start: start ? start.toJSDate() : null,
    allDay: start?.isDate ?? false,
    organizer: organizerOf(comp),
    sequence: Number(comp.getFirstPropertyValue('sequence') ?? 0) || 0,
  };
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
