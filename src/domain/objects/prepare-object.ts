import { IcalError } from '../../formats/ical/errors.js';
import type { StoreReader } from '../../store/store.js';
import type { ObjectIndex, Resource } from '../../store/types.js';
import { prepareCalendarObject, UidConflict, type CalendarLimits } from '../calendar/object.js';
import { calendarSettings, limitsWithin } from '../calendar/settings.js';
import { CardRejected, cardSizeLimit, prepareCard } from '../contacts/object.js';
import { ObjectRefused } from './object-refused.js';

/** A body ready to store: possibly normalised, with its index columns. */
interface PreparedObject {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly index: ObjectIndex;
}

/** The server-wide limits every write meets (ServerConfig). */
export interface WriteLimits {
  readonly maxUploadBytes: number;
}

/** What is being stored where: the collection, the member path, the resource it replaces. */
export interface ObjectSlot {
  readonly parent: Resource;
  readonly path: string;
  readonly existing: Resource | null;
}

/** A calendar or address book: what is placed in it is validated and indexed (not stored as sent). */
export function holdsTypedObjects(collection: Resource): boolean {
  return collection.collectionType === 'calendar' || collection.collectionType === 'addressbook';
}

/**
 * A calendar home and an address-book home hold collections (calendars, address books, the
 * scheduling inbox and outbox), no objects: a .ics or .vcf put there — a client pointed at the
 * home instead of a calendar — would be stored where no calendar or address book shows it.
 */
export function refuseObjectInHome(parent: Resource): void {
  const home = parent.parentId === null ? /^\/(calendars|addressbooks)\/[^/]+$/.exec(parent.path)?.[1] : undefined;
  if (home !== 'calendars' && home !== 'addressbooks') return;
  const message =
    home === 'calendars'
      ? 'a calendar home holds calendars only: put the event into one of its calendars'
      : 'an address-book home holds address books only: put the card into one of its address books';
  throw new ObjectRefused({ code: 'object-in-home', home }, message);
}

/**
 * RFC 4791 §5.3.2.1 / RFC 6352 §6.3.2.1 no-uid-conflict: a write (PUT, or the target of a COPY or
 * MOVE) must not "overwrite an existing calendar object resource with one that has a different
 * UID". A MOVE within one collection is not prepared again, so it calls this itself.
 */
export function refuseUidChange(slot: ObjectSlot, uid: string | null): void {
  const { parent, existing } = slot;
  if (!existing || existing.uid === null || existing.uid === uid) return;
  const message = `${existing.path} has UID ${existing.uid}; a write cannot change it`;
  if (parent.collectionType === 'addressbook') {
    throw new ObjectRefused(
      { code: 'card-data', error: new CardRejected('no-uid-conflict', message, existing.path) },
      message,
    );
  }
  throw new ObjectRefused({ code: 'calendar-uid-conflict', path: existing.path }, message);
}

/**
 * The limits a calendar's objects meet for any writer: its own settings within the server's
 * upload limit. `almanac import` reads them too, to have its worker prepare objects ahead under
 * the same limits (issue #20; a result computed under other limits is never used).
 */
export async function calendarLimitsOf(
  reader: StoreReader,
  calendar: Resource,
  limits: WriteLimits,
): Promise<CalendarLimits> {
  return limitsWithin(await calendarSettings(reader, calendar), limits.maxUploadBytes);
}

/**
 * The per-type step of a write: a home takes no objects; a calendar takes one valid calendar object within the
 * calendar's own settings (RFC 4791 §5.3.2), an address book one vCard/jCard (RFC 6352 §6.3.2),
 * both no larger than the server's upload limit; any other collection stores the body as sent.
 * Refusals are thrown as ObjectRefused.
 */
export async function prepareObject(
  reader: StoreReader,
  slot: ObjectSlot,
  body: Uint8Array,
  contentType: string | undefined,
  limits: WriteLimits,
): Promise<PreparedObject> {
  const { parent, path } = slot;
  refuseObjectInHome(parent);
  try {
    if (parent.collectionType === 'calendar') {
      const calendarLimits = await calendarLimitsOf(reader, parent, limits);
      const prepared = await prepareCalendarObject(reader, parent, path, body, contentType, calendarLimits);
      refuseUidChange(slot, prepared.uid);
      return { body: prepared.body, contentType: 'text/calendar; charset=utf-8', index: prepared.index };
    }
    if (parent.collectionType === 'addressbook') {
      const card = await prepareCard(reader, parent, path, body, contentType, cardSizeLimit(limits.maxUploadBytes));
      refuseUidChange(slot, card.uid);
      return card;
    }
  } catch (err) {
    if (err instanceof IcalError) throw new ObjectRefused({ code: 'calendar-data', error: err }, err.message);
    if (err instanceof UidConflict)
      throw new ObjectRefused({ code: 'calendar-uid-conflict', path: err.path }, err.message);
    if (err instanceof CardRejected) throw new ObjectRefused({ code: 'card-data', error: err }, err.message);
    throw err;
  }
  return { body, contentType: contentType ?? 'application/octet-stream', index: {} };
}
