/**
 * Implicit scheduling (RFC 6638 §3.2), run by the write path's beforeCommit hook for every
 * write of a calendar object, in the write's transaction: an organizer's write sends REQUEST and
 * CANCEL to the attendees (§3.2.1), an attendee's write or delete sends a REPLY to the organizer
 * (§3.2.2). Returns the organizer's copy as it must be stored when scheduling changed it
 * (SEQUENCE, SCHEDULE-STATUS, SCHEDULE-FORCE-SEND), else null.
 */
import { ahead } from '../cooperative.js';
import type { IcalComponent } from '../../formats/ical/ical.js';
import {
  components,
  mergeOthersAttendees,
  organizerOf,
  parseItip,
  planOrganizer,
  planReply,
  setScheduleStatus,
} from '../../formats/ical/itip/index.js';
import type { StoreTx } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { userAddresses } from './addresses.js';
import { dropScheduleTag, newScheduleTag, requireScheduleTag } from './schedule-tag.js';
import { sendMessages } from './send.js';

/** What the request says about scheduling (RFC 6638 §8.1 Schedule-Reply). */
export interface SchedulingOptions {
  /** false = `Schedule-Reply: F`: an attendee's delete sends no REPLY. */
  readonly reply?: boolean;
  /** RFC 6638 §8.3 If-Schedule-Tag-Match: the Schedule-Tag the client last saw. */
  readonly scheduleTagMatch?: string;
}

/** What scheduling did to a write: the body to store instead (null = as prepared) and the resource's new Schedule-Tag. */
export interface ScheduledOutcome {
  readonly body: Uint8Array | null;
  readonly scheduleTag: string | null;
}

export interface ScheduledWrite {
  readonly op: 'put' | 'delete';
  readonly path: string;
  readonly parent: Resource;
  readonly before: Resource | null;
  /** The new body (a put), as prepared for storing. */
  readonly body: Uint8Array | null;
  readonly options?: SchedulingOptions;
  /**
   * Called before the write sends scheduling messages for the calendar's owner, as organizer
   * (`invite`) or attendee (`reply`); throws when the writer may not (RFC 6638 §6.2.2, §6.2.3).
   * Absent: the owner (or their sharee, caldav-sharing §5.5.5) writes, who always may.
   */
  readonly mayMessage?: (kind: 'invite' | 'reply') => Promise<void>;
  /** The replaced object's text, when the write read it ahead (`previousTextAhead`). */
  readonly previous?: Promise<string | null>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const UNCHANGED: ScheduledOutcome = { body: null, scheduleTag: null };

function parseOrNull(text: string): IcalComponent | null {
  try {
    return parseItip(text);
  } catch {
    return null;
  }
}

/** RFC 6638 §7.1: SCHEDULE-AGENT on the ORGANIZER of the attendee's copy other than SERVER: the client schedules. */
function organizerAgentIsServer(root: IcalComponent): boolean {
  for (const c of components(root).values()) {
    const agent = c.getFirstProperty('organizer')?.getParameter('schedule-agent');
    if (agent !== undefined && agent !== null && String(agent).toUpperCase() !== 'SERVER') return false;
  }
  return true;
}

async function asOrganizer(
  tx: StoreTx,
  w: ScheduledWrite,
  owner: User,
  before: IcalComponent | null,
  after: IcalComponent | null,
): Promise<Uint8Array | null> {
  const now = Date.now();
  const plan = planOrganizer(before, after, new Date(now));
  if (!plan) return null;
  if (plan.messages.length > 0) await w.mayMessage?.('invite');
  const statuses = await sendMessages(tx, owner, plan.organizer, plan.messages, now);
  if (!after || (statuses.size === 0 && !plan.changed)) return null;
  setScheduleStatus(after, statuses);
  return encoder.encode(after.toString() + '\r\n');
}

async function asAttendee(
  tx: StoreTx,
  w: ScheduledWrite,
  owner: User,
  before: IcalComponent | null,
  after: IcalComponent | null,
): Promise<void> {
  const root = after ?? before;
  if (!root || !organizerAgentIsServer(root)) return;
  const reply = planReply(before, after, userAddresses(owner), new Date());
  if (reply) await w.mayMessage?.('reply');
  if (reply)
    await sendMessages(
      tx,
      owner,
      reply.organizer,
      [{ recipient: reply.organizer, method: 'REPLY', ics: reply.ics }],
      Date.now(),
    );
}

/** The text of the stored object a write replaces; null when there is none (a MOVE deletes its destination before the put). */
async function previousText(tx: StoreTx, before: Resource | null): Promise<string | null> {
  if (!before || before.isCollection || !/^text\/calendar/i.test(before.contentType ?? '')) return null;
  const body = (await tx.readBodies([before.id])).get(before.id);
  return body ? decoder.decode(body) : null;
}

/**
 * The text `scheduleWrite` will read of the object a write to `parent` replaces, read now (with
 * the write's other reads: issue #20, a round trip less under the area's lock on PostgreSQL);
 * null when it will read none (not a calendar, nothing replaced). Pass it as `previous`.
 */
export function previousTextAhead(
  tx: StoreTx,
  parent: Resource,
  before: Resource | null,
): Promise<string | null> | null {
  if (parent.collectionType !== 'calendar' || parent.derived || !before) return null;
  return ahead(previousText(tx, before)); // awaited by scheduleWrite, or the write ended before it
}

/**
 * Whether an iCalendar text may hold an ORGANIZER property (RFC 6638 §3.1: only then is it a
 * scheduling object resource). Looked for on the unfolded text (RFC 5545 §3.1), so a folded name
 * is found too; most objects have none and are then not parsed a second time for scheduling.
 */
function mayNameOrganizer(text: string | null): boolean {
  return text !== null && /(^|\n)ORGANIZER[;:]/i.test(text.replace(/\r?\n[ \t]/g, ''));
}

/** The organizer's or the attendee's side of a write to a scheduling object resource (RFC 6638 §3.1); the body to store instead. */
async function schedule(
  tx: StoreTx,
  w: ScheduledWrite,
  owner: User,
  before: IcalComponent | null,
  after: IcalComponent | null,
  organizer: string,
): Promise<Uint8Array | null> {
  if (userAddresses(owner).has(organizer)) return asOrganizer(tx, w, owner, before, after);
  if (w.op === 'put' || w.options?.reply !== false) await asAttendee(tx, w, owner, before, after);
  return null;
}

/** The body after a Schedule-Tag merge, or null when the merge changed nothing. */
function mergedBody(merged: boolean, after: IcalComponent | null): Uint8Array | null {
  return merged && after ? encoder.encode(after.toString() + '\r\n') : null;
}

export async function scheduleWrite(tx: StoreTx, w: ScheduledWrite): Promise<ScheduledOutcome> {
  if (w.parent.collectionType !== 'calendar' || w.parent.derived) return UNCHANGED;
  const match = w.options?.scheduleTagMatch;
  if (match !== undefined) await requireScheduleTag(tx, w.path, w.before !== null, match);
  const beforeText = await (w.previous ?? previousText(tx, w.before));
  const afterText = w.body ? decoder.decode(w.body) : null;
  if (match === undefined && !mayNameOrganizer(beforeText) && !mayNameOrganizer(afterText)) {
    // Neither side is a scheduling object: nothing to send, no Schedule-Tag (RFC 6638 §3.2.10).
    if (w.before) await dropScheduleTag(tx, w.path);
    return UNCHANGED;
  }
  const before = beforeText === null ? null : parseOrNull(beforeText);
  const after = afterText === null ? null : parseOrNull(afterText);
  const owner = await tx.getUserById(w.parent.ownerId);
  // RFC 6638 §3.2.10.1: with a matching tag, others' replies the server applied are kept.
  const merged =
    match !== undefined &&
    before !== null &&
    after !== null &&
    owner !== null &&
    mergeOthersAttendees(before, after, userAddresses(owner));
  const root = after ?? before;
  const organizer = root ? organizerOf(root) : null;
  if (w.before && (w.op === 'delete' || !organizer)) await dropScheduleTag(tx, w.path);
  if (!organizer || !owner) return { body: mergedBody(merged, after), scheduleTag: null };
  const body = await schedule(tx, w, owner, before, after, organizer);
  if (w.op === 'delete') return UNCHANGED;
  return { body: body ?? mergedBody(merged, after), scheduleTag: await newScheduleTag(tx, w.path) };
}
