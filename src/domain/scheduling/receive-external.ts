/**
 * iTIP from outside the server (iMIP, RFC 6047; the mail transport calls this): a REPLY updates
 * the organizer's copy, a REQUEST/ADD/CANCEL the attendee's, COUNTER and DECLINECOUNTER only
 * reach the inbox (RFC 5546 §3.2.7: never applied silently). The sender must be the one the
 * message speaks for: the replying ATTENDEE, or the ORGANIZER of a request or cancel.
 */
import type { IcalComponent } from '../../formats/ical/ical.js';
import { normalizeAddress, organizerOf, parseItip, uidOf } from '../../formats/ical/itip/index.js';
import type { Store, StoreTx } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { userAddresses } from './addresses.js';
import { deliverToUser } from './deliver.js';
import { findCopy, putInboxMessage } from './server-writes.js';

interface ExternalItip {
  /** The user of this server the message is for. */
  readonly recipient: number;
  /** The sender's address (the mail's From), e.g. `mailto:bob@example.org`. */
  readonly sender: string;
  readonly method: string;
  readonly icsText: string;
}

/** What became of the message (the transport records it). */
export type ExternalOutcome = 'applied' | 'ignored' | { readonly rejected: string };

const INBOX_ONLY = new Set(['COUNTER', 'DECLINECOUNTER', 'REFRESH']);

function parsed(text: string): IcalComponent | null {
  try {
    return parseItip(text);
  } catch {
    return null;
  }
}

/** REQUEST/ADD/CANCEL: from the organizer, and not about an event the user organizes or someone else does. */
async function checkOrganizerMessage(
  tx: StoreTx,
  user: User,
  sender: string,
  uid: string,
  message: IcalComponent,
): Promise<string | null> {
  const organizer = organizerOf(message);
  if (organizer !== sender) return `${sender} is not the organizer (${organizer ?? 'none'})`;
  const copy = await findCopy(tx, user.name, uid);
  const current = copy ? organizerOf(copy.root) : null;
  if (current && current !== organizer) return `event ${uid} is organized by ${current}`;
  return null;
}

async function receiveIn(tx: StoreTx, user: User, m: ExternalItip): Promise<ExternalOutcome> {
  const message = parsed(m.icsText);
  if (!message) return { rejected: 'the iCalendar object does not parse' };
  const method = m.method.toUpperCase();
  const declared = message.getFirstPropertyValue('method');
  if (typeof declared === 'string' && declared.toUpperCase() !== method)
    return { rejected: `METHOD ${declared} is not ${method}` };
  const uid = uidOf(message);
  if (!uid) return { rejected: 'the message has no UID' };
  // Before reading any copy of the event: the scheduling lock (uid-lock.ts).
  await tx.lockSchedulingObjects([uid]);
  const sender = normalizeAddress(m.sender);
  if (INBOX_ONLY.has(method)) {
    await putInboxMessage(tx, user, m.icsText, uid);
    return 'applied';
  }
  if (method === 'REPLY') {
    const copy = await findCopy(tx, user.name, uid);
    const organizer = copy ? organizerOf(copy.root) : null;
    if (!organizer || !userAddresses(user).has(organizer))
      return { rejected: `${user.name} organizes no event ${uid}` };
  } else if (['REQUEST', 'ADD', 'CANCEL'].includes(method)) {
    const refused = await checkOrganizerMessage(tx, user, sender, uid, message);
    if (refused) return { rejected: refused };
  } else {
    return 'ignored';
  }
  const result = await deliverToUser(tx, user, {
    method,
    text: m.icsText,
    sender: method === 'REPLY' ? sender : undefined,
  });
  return result.refused ? { rejected: result.refused } : 'applied';
}

/** Apply one iTIP message from outside, in one transaction on the recipient's calendars. */
export async function receiveExternalItip(store: Store, m: ExternalItip): Promise<ExternalOutcome> {
  const user = await store.getUserById(m.recipient);
  if (!user) return { rejected: `no user ${m.recipient}` };
  return store.transaction([`/calendars/${user.name}`], (tx) => receiveIn(tx, user, m));
}
