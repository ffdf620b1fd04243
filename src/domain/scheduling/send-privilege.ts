/**
 * RFC 6638 §6.2.2 / §6.2.3: a user who writes another user's calendar (a write proxy, an ACL
 * grantee) makes the server send scheduling messages for its owner only when they hold
 * CALDAV:schedule-send-invite (as organizer) or schedule-send-reply (as attendee) on the owner's
 * outbox. A write proxy holds both through the grant on the owner's home (privileges.ts
 * `addSchedulingDefaults`); a grant of write on one calendar does not give them.
 */
import type { StoreTx } from '../../store/store.js';
import { ObjectRefused } from '../objects/object-refused.js';
import { holds, type Principal } from '../objects/privileges.js';
import { ensureScheduleBoxes, scheduleBoxPaths } from './boxes.js';

export async function requireScheduleSend(
  tx: StoreTx,
  principal: Principal,
  ownerId: number,
  kind: 'invite' | 'reply',
): Promise<void> {
  const owner = await tx.getUserById(ownerId);
  if (!owner) return;
  await ensureScheduleBoxes(tx, owner);
  const outbox = await tx.getResource(scheduleBoxPaths(owner.name).outbox);
  const privilege = kind === 'invite' ? 'schedule-send-invite' : 'schedule-send-reply';
  if (outbox && holds(principal, outbox, privilege)) return;
  throw new ObjectRefused(
    { code: 'need-privileges', path: scheduleBoxPaths(owner.name).outbox, isCollection: true, privilege },
    `${principal.name} may not send scheduling messages for ${owner.name} (${privilege} on their outbox)`,
  );
}
