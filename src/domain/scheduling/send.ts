/**
 * Sending the messages of one write: to users of this server by delivery in the same
 * transaction (deliver.ts), to anyone else with a mailto: address through the outbound queue
 * (the iMIP transport drains it). Returns the RFC 6638 §7.3 SCHEDULE-STATUS per recipient.
 */
import type { StoreTx } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { localUsers } from './addresses.js';
import { deliverToUser, STATUS } from './deliver.js';

export interface OutgoingMessage {
  readonly recipient: string;
  readonly method: string;
  readonly ics: string;
}

export async function sendMessages(
  tx: StoreTx,
  sender: User,
  organizer: string,
  messages: readonly OutgoingMessage[],
  now: number,
): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  if (messages.length === 0) return statuses;
  const locals = await localUsers(
    tx,
    messages.map((m) => m.recipient),
  );
  for (const m of messages) {
    const user = locals.get(m.recipient);
    if (user) {
      if (user.id === sender.id) continue;
      statuses.set(m.recipient, (await deliverToUser(tx, user, { method: m.method, text: m.ics })).status);
    } else if (/^mailto:[^@\s]+@[^@\s]+$/i.test(m.recipient)) {
      await tx.enqueueItip({
        recipient: m.recipient,
        method: m.method,
        icsText: m.ics,
        organizer,
        senderUserId: sender.id,
        createdAt: now,
      });
      statuses.set(m.recipient, STATUS.pending);
    } else {
      statuses.set(m.recipient, STATUS.invalidUser);
    }
  }
  return statuses;
}
