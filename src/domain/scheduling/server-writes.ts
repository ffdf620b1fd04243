/**
 * The writes the server makes itself while scheduling (an attendee's copy, the organizer's copy
 * after a REPLY, inbox messages). They go through the store's own writes, so they are in the
 * change feed (sync tokens, CTags, push) like any other, in the transaction of the write that
 * caused them; they do not run the commit hooks again (no scheduling loops).
 */
import { randomUUID } from 'node:crypto';
import type { IcalComponent } from '../../formats/ical/ical.js';
import { parseItip } from '../../formats/ical/itip/index.js';
import type { StoreReader, StoreTx } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { prepareCalendarObject } from '../calendar/object.js';
import { calendarSettings, limitsWithin } from '../calendar/settings.js';
import { contentEtag } from '../etag.js';
import { storedEtag } from '../sharing/per-user-data.js';
import { ensureScheduleBoxes } from './boxes.js';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';
const encoder = new TextEncoder();

/** A user's stored copy of the event with this UID: the first calendar of their home holding it. */
export async function findCopy(
  reader: StoreReader,
  userName: string,
  uid: string,
): Promise<{ resource: Resource; root: IcalComponent } | null> {
  const home = await reader.getResource(`/calendars/${userName}`);
  if (!home) return null;
  for (const calendar of await reader.listChildren(home.id)) {
    if (calendar.collectionType !== 'calendar' || calendar.derived) continue;
    const [hit] = await reader.queryObjects(calendar.id, { uid });
    if (hit) return { resource: hit, root: parseItip(new TextDecoder().decode(await reader.readBody(hit.id))) };
  }
  return null;
}

/** A name for a new member from a UID: kept when it is a safe path segment, else a fresh one. */
export function memberName(uid: string): string {
  return /^[A-Za-z0-9._@-]{1,120}$/.test(uid) ? `${uid}.ics` : `${randomUUID()}.ics`;
}

/** Store a calendar object into `calendar` at `path`, indexed like a client's PUT (RFC 4791 §5.3.2 rules). */
export async function writeCalendarCopy(tx: StoreTx, calendar: Resource, path: string, text: string): Promise<void> {
  const limits = limitsWithin(await calendarSettings(tx, calendar), Number.MAX_SAFE_INTEGER);
  const prepared = await prepareCalendarObject(tx, calendar, path, encoder.encode(text), CALENDAR_TYPE, limits);
  await tx.putObject(path, {
    ownerId: calendar.ownerId,
    body: prepared.body,
    contentType: CALENDAR_TYPE,
    // A sharee's per-user data of the copy stays, and the tag covers it (sharing/per-user-data.ts).
    etag: await storedEtag(tx, await tx.getResource(path), prepared.body),
    index: prepared.index,
  });
}

/** RFC 6638 §4: put an iTIP message into the user's scheduling inbox. */
export async function putInboxMessage(
  tx: StoreTx,
  user: Pick<User, 'id' | 'name'>,
  text: string,
  uid: string | null,
): Promise<void> {
  const inbox = await ensureScheduleBoxes(tx, user);
  const body = encoder.encode(text);
  await tx.putObject(`${inbox.path}/${randomUUID()}.ics`, {
    ownerId: user.id,
    body,
    contentType: CALENDAR_TYPE,
    etag: contentEtag(body),
    index: { uid },
  });
}
