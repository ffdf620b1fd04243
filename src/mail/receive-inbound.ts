import type { InboundItip, InboundOutcome, ItipPart } from './inbound.js';
import { readItipObject, type ItipObject } from './itip-object.js';
import { verifyReplyToken } from './reply-token.js';
import { senderProblem } from './sender-check.js';

/** What the scheduling side applies: one iTIP object for one Almanac user (h-sched's receiveExternalItip). */
export interface ExternalItip {
  /** The Almanac user the message is for (the organizer, for a reply to a token address). */
  readonly recipient: string;
  /** `mailto:` of the sender, checked against the ORGANIZER/ATTENDEE (sender-check.ts). */
  readonly sender: string;
  readonly method: string;
  readonly icsText: string;
}

export interface InboundPorts {
  readonly receive: (itip: ExternalItip) => Promise<InboundOutcome>;
  /** The Almanac user with this email address, for messages without a reply token (an invitation from outside). */
  readonly userForAddress?: ((address: string) => Promise<string | null>) | undefined;
}

/** Methods an attendee sends (RFC 5546 §1.4): the only ones a reply address may receive. */
const ATTENDEE_METHODS = new Set(['REPLY', 'COUNTER', 'REFRESH']);

async function recipientOf(
  mail: InboundItip,
  uid: string,
  method: string,
  key: Buffer,
  ports: InboundPorts,
): Promise<string | { rejected: string }> {
  if (mail.token !== undefined) {
    if (!ATTENDEE_METHODS.has(method)) return { rejected: `${method} sent to a reply address` };
    return verifyReplyToken(key, mail.token, uid) ?? { rejected: `reply token does not match UID ${uid}` };
  }
  for (const address of mail.to) {
    const user = ports.userForAddress ? await ports.userForAddress(address) : null;
    if (user !== null) return user;
  }
  return { rejected: 'no reply token and no recipient of this server' };
}

async function receivePart(
  mail: InboundItip,
  part: ItipPart,
  key: Buffer,
  ports: InboundPorts,
): Promise<InboundOutcome> {
  let obj: ItipObject;
  try {
    obj = readItipObject(part.icsText);
  } catch (err) {
    return { rejected: (err as Error).message };
  }
  const problem = senderProblem(mail.from, obj);
  if (problem !== null) return { rejected: problem };
  const recipient = await recipientOf(mail, obj.uid, obj.method, key, ports);
  if (typeof recipient !== 'string') return recipient;
  return ports.receive({ recipient, sender: `mailto:${mail.from}`, method: part.method, icsText: part.icsText });
}

/**
 * The receiving half of iMIP between the transport and the scheduling rules: each iTIP object
 * of a message is checked (RFC 6047 §2.2.1 sender, reply token for the event's UID), its
 * Almanac recipient found, and handed to `receive`. 'applied' if any object was applied, the
 * first rejection if none was, else 'ignored'. `key` is replyTokenKey(server key).
 */
export async function receiveInbound(mail: InboundItip, key: Buffer, ports: InboundPorts): Promise<InboundOutcome> {
  const outcomes: InboundOutcome[] = [];
  for (const part of mail.parts) outcomes.push(await receivePart(mail, part, key, ports));
  if (outcomes.includes('applied')) return 'applied';
  return outcomes.find((o) => typeof o !== 'string') ?? 'ignored';
}
