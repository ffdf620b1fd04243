/**
 * Delivery to a user of this server (RFC 6638 §4): the message goes into their scheduling
 * inbox, and is processed into their calendar (auto-processing): a REQUEST creates or updates
 * their copy (a new one only when the user has auto-processing on, auto-process.ts), a CANCEL
 * removes it or the cancelled instances, a REPLY updates the organizer's copy. COUNTER and
 * DECLINECOUNTER only reach the inbox: the organizer decides (RFC 5546 §3.2.7).
 */
import type { IcalComponent } from '../../formats/ical/ical.js';
import {
  applyCancel,
  applyReply,
  applyRequest,
  components,
  normalizeAddress,
  parseItip,
  uidOf,
} from '../../formats/ical/itip/index.js';
import type { StoreTx } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { localUsers } from './addresses.js';
import { autoProcessEnabled } from './auto-process.js';
import { deliveryCalendar } from './boxes.js';
import { dropScheduleTag, newScheduleTag } from './schedule-tag.js';
import { findCopy, memberName, putInboxMessage, writeCalendarCopy } from './server-writes.js';

/** RFC 6638 §7.3 SCHEDULE-STATUS values this server sets. */
export const STATUS = { pending: '1.0', delivered: '1.2', invalidUser: '3.7', failed: '5.1' } as const;

export interface Delivery {
  readonly method: string;
  readonly text: string;
  /** The sender's address, when it must be checked against the message (mail from outside). */
  readonly sender?: string;
}

async function processRequest(tx: StoreTx, user: User, uid: string, message: IcalComponent): Promise<boolean> {
  const copy = await findCopy(tx, user.name, uid);
  const text = applyRequest(copy?.root ?? null, message);
  // RFC 6638 §3.2.10: an update from the organizer gives the attendee's copy a new Schedule-Tag.
  if (copy) {
    const calendar = await tx.getResourceById(copy.resource.parentId ?? -1);
    if (calendar) await writeCalendarCopy(tx, calendar, copy.resource.path, text);
    await newScheduleTag(tx, copy.resource.path);
    return true;
  }
  // A new invitation to a user who takes invitations in by hand stays in the inbox (auto-process.ts).
  if (!(await autoProcessEnabled(tx, user))) return true;
  const calendar = await deliveryCalendar(tx, user.name);
  if (!calendar) return false;
  const path = `${calendar.path}/${memberName(uid)}`;
  await writeCalendarCopy(tx, calendar, path, text);
  await newScheduleTag(tx, path);
  return true;
}

async function processCancel(tx: StoreTx, user: User, uid: string, message: IcalComponent): Promise<void> {
  const copy = await findCopy(tx, user.name, uid);
  if (!copy) return;
  const text = applyCancel(copy.root, message);
  if (text === null) {
    await tx.deleteResource(copy.resource.path);
    await dropScheduleTag(tx, copy.resource.path);
    return;
  }
  const calendar = await tx.getResourceById(copy.resource.parentId ?? -1);
  if (calendar) await writeCalendarCopy(tx, calendar, copy.resource.path, text);
  await newScheduleTag(tx, copy.resource.path);
}

/**
 * RFC 6638 §3.2.10 attendee rule 2 / RFC 5546 §2.1.5: the other attendees of this server see the
 * reply's PARTSTAT in their copies too (their Schedule-Tags stay: an inconsequential change).
 */
async function refreshOthers(
  tx: StoreTx,
  organizer: User,
  uid: string,
  root: IcalComponent,
  message: IcalComponent,
  replier: string,
): Promise<void> {
  const others = new Set<string>();
  for (const c of components(root).values())
    for (const p of c.getAllProperties('attendee')) others.add(normalizeAddress(String(p.getFirstValue())));
  others.delete(replier);
  for (const user of (await localUsers(tx, others)).values()) {
    if (user.id === organizer.id) continue;
    const copy = await findCopy(tx, user.name, uid);
    if (!copy || !applyReply(copy.root, message, undefined, false).ok) continue;
    const calendar = await tx.getResourceById(copy.resource.parentId ?? -1);
    if (calendar) await writeCalendarCopy(tx, calendar, copy.resource.path, copy.root.toString() + '\r\n');
  }
}

/** A REPLY applied to the organizer's copy; a refusal (not an attendee, wrong sender) is the reason. */
async function processReply(
  tx: StoreTx,
  user: User,
  uid: string,
  message: IcalComponent,
  sender?: string,
): Promise<string | null> {
  const copy = await findCopy(tx, user.name, uid);
  if (!copy) return `no event ${uid}`;
  const outcome = applyReply(copy.root, message, sender);
  if (!outcome.ok) return outcome.reason;
  const calendar = await tx.getResourceById(copy.resource.parentId ?? -1);
  if (calendar) await writeCalendarCopy(tx, calendar, copy.resource.path, copy.root.toString() + '\r\n');
  await refreshOthers(tx, user, uid, copy.root, message, outcome.attendee);
  return null;
}

/**
 * Deliver one iTIP message to `user`: into the inbox, then processed. Returns the
 * SCHEDULE-STATUS for the sender, or a refusal reason for a REPLY that does not apply.
 */
export async function deliverToUser(
  tx: StoreTx,
  user: User,
  d: Delivery,
): Promise<{ status: string; refused?: string }> {
  const message = parseItip(d.text);
  const uid = uidOf(message);
  if (!uid) return { status: STATUS.failed, refused: 'the message has no UID' };
  if (d.method === 'REPLY') {
    const refused = await processReply(tx, user, uid, message, d.sender);
    if (refused) return { status: STATUS.failed, refused };
  }
  await putInboxMessage(tx, user, d.text, uid);
  if (d.method === 'REQUEST' || d.method === 'ADD') {
    if (!(await processRequest(tx, user, uid, message))) return { status: STATUS.failed };
  } else if (d.method === 'CANCEL') {
    await processCancel(tx, user, uid, message);
  }
  return { status: STATUS.delivered };
}
