import type { ItipObject } from './itip-object.js';

/** Methods whose originator is an attendee (RFC 5546 §1.4, §3.2); the others come from the organizer. */
const FROM_ATTENDEE = new Set(['REPLY', 'COUNTER', 'REFRESH']);

/**
 * Whether the From address may send this iTIP object (RFC 6047 §2.2.1 and §3): only the
 * organizer may send REQUEST, ADD, CANCEL, DECLINECOUNTER or PUBLISH, and only the attendee a
 * REPLY, COUNTER or REFRESH speaks for. A REPLY need not name the ORGANIZER (Outlook leaves it
 * out); the reply token tells whose event it is. SENT-BY is not trusted: §3 leaves delegation
 * to local policy, and this server's policy is to accept only the ORGANIZER or ATTENDEE
 * itself. Null when the sender may, else a one-line reason.
 */
export function senderProblem(from: string, obj: ItipObject): string | null {
  const sender = from.toLowerCase();
  if (FROM_ATTENDEE.has(obj.method)) {
    if (obj.attendees.length === 0) return `${obj.method} names no ATTENDEE (RFC 5546 §3.2.3)`;
    const others = obj.attendees.filter((a) => a !== sender);
    if (others.length > 0) return `${obj.method} from ${sender} speaks for ${others.join(', ')} (RFC 6047 §2.2.1)`;
    return null;
  }
  if (obj.organizer === null) return `${obj.method} names no ORGANIZER`;
  if (obj.organizer !== sender)
    return `${obj.method} from ${sender}, but the ORGANIZER is ${obj.organizer} (RFC 6047 §2.2.1)`;
  return null;
}
