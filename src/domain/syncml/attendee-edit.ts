/**
 * A SyncML item that replaces an attendee's copy of a scheduled event (RFC 6638 §3.2.2): phones
 * send back what they can hold — often no ORGANIZER, no other ATTENDEEs, no X- properties, no
 * SCHEDULE-STATUS — so storing the item as sent would drop the organizer's data, or make the
 * phone's owner look like the organizer. The item is merged into the stored copy instead
 * (formats/ical/itip/attendee-edit.ts, §3.2.2.1), and the merge is what the write path stores
 * and schedules: a changed PARTSTAT sends the organizer a REPLY there, as a CalDAV PUT does.
 */
import { isAttendeeCopy, mergeAttendeeEdit } from '../../formats/ical/itip/attendee-edit.js';
import { parseItip } from '../../formats/ical/itip/scheduling-object.js';
import type { IcalComponent } from '../../formats/ical/ical.js';
import type { StoreReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { userAddresses } from '../scheduling/addresses.js';

/** What to write instead of a phone's item. */
export interface AttendeeWrite {
  /** The stored copy the merge is based on (its etag is the write's If-Match). */
  readonly stored: Resource;
  /** The merged copy; null when it equals the stored one (nothing to write). */
  readonly text: string | null;
}

const decoder = new TextDecoder();

function parseOrNull(text: string): IcalComponent | null {
  try {
    return parseItip(text);
  } catch {
    return null;
  }
}

/**
 * The merge of `text` into the attendee's copy stored at `path` of calendar `collection`, or
 * null when `path` holds no attendee copy of the calendar's owner (or `text` does not parse:
 * the write path refuses it as invalid data).
 */
export async function attendeeWrite(
  reader: StoreReader,
  collection: Resource,
  path: string,
  text: string,
): Promise<AttendeeWrite | null> {
  if (collection.collectionType !== 'calendar' || collection.derived) return null;
  const stored = await reader.getResource(path);
  if (!stored || stored.isCollection || !/^text\/calendar/i.test(stored.contentType ?? '')) return null;
  const owner = await reader.getUserById(collection.ownerId);
  if (!owner) return null;
  const me = userAddresses(owner);
  const storedText = decoder.decode(await reader.readBody(stored.id));
  const before = parseOrNull(storedText);
  const edit = parseOrNull(text);
  if (!before || !edit || !isAttendeeCopy(before, me)) return null;
  const merged = mergeAttendeeEdit(before, edit, me);
  const out = merged.toString() + '\r\n';
  return { stored, text: merged.toString() === before.toString() ? null : out };
}
