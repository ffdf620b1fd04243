/**
 * The iMIP transport connected to scheduling: the outbound queue that implicit scheduling fills
 * (domain/scheduling/outbound.ts) is what the mailer drains, and a reply or invitation read from
 * mail is applied by `receiveExternalItip` — the same domain step for every message from outside.
 */
import { claimOutboundItip, markOutboundItip, receiveExternalItip } from '../domain/scheduling/index.js';
import type { Store } from '../store/store.js';
import type { OutboundItip } from '../store/types.js';
import type { DrainOutcome } from '../mail/drain-outbound.js';
import type { ImipPorts, OutboundRow } from '../mail/wire.js';

/** Methods an attendee sends (RFC 5546 §1.4): then the sender is not the organizer. */
const ATTENDEE_METHODS = new Set(['REPLY', 'COUNTER', 'REFRESH']);

async function rowOf(store: Store, m: OutboundItip): Promise<OutboundRow> {
  const sender = await store.getUserById(m.senderUserId);
  const user = {
    userId: String(m.senderUserId),
    mailto: sender?.email ? `mailto:${sender.email}` : m.organizer,
    name: sender?.displayName ?? sender?.name,
  };
  const byAttendee = ATTENDEE_METHODS.has(m.method.toUpperCase());
  return {
    id: String(m.id),
    attempts: m.attempts,
    recipient: m.recipient,
    method: m.method,
    icsText: m.icsText,
    // The organizer's own messages carry a reply token bound to them; an attendee of this server
    // answering an organizer elsewhere sends as itself.
    organizer: byAttendee ? { userId: '', mailto: m.organizer } : { ...user, mailto: m.organizer },
    originator: byAttendee ? user : undefined,
  };
}

/** A transport outcome as the queue records it (retry at the transport's time; failed = never). */
function resultOf(outcome: DrainOutcome): Parameters<typeof markOutboundItip>[2] {
  switch (outcome.status) {
    case 'sent':
    case 'skipped':
      return { ok: true };
    case 'retry':
      return { ok: false, error: outcome.error, retryAt: outcome.notBefore.getTime() };
    case 'failed':
      return { ok: false, error: outcome.error, retryAt: null };
  }
}

export function schedulingPorts(store: Store): ImipPorts {
  return {
    claim: async (limit) => Promise.all((await claimOutboundItip(store, limit)).map((m) => rowOf(store, m))),
    mark: (id, outcome) => markOutboundItip(store, Number(id), resultOf(outcome)),
    receive: (itip) =>
      receiveExternalItip(store, {
        recipient: Number(itip.recipient),
        sender: itip.sender,
        method: itip.method,
        icsText: itip.icsText,
      }),
    userForAddress: async (address) => {
      const [user] = await store.getUsersByEmails([address.replace(/^mailto:/i, '')]);
      return user ? String(user.id) : null;
    },
  };
}
