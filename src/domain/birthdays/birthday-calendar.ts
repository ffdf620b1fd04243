import { createHash } from 'node:crypto';
import { IcalError } from '../../formats/ical/errors.js';
import { cardDates, displayNameOf } from '../../formats/vcard/anniversaries.js';
import { parseStored } from '../../formats/vcard/represent.js';
import type { Store } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { el } from '../../xml/element.js';
import { appleIcal, caldav, dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import { replaceMembers, type ReplaceOutcome, type WantedMember } from '../calendar/derived-members.js';
import { prepareCalendarObject, UidConflict } from '../calendar/object.js';
import { calendarSettings, limitsWithin, MAX_RESOURCE_SIZE } from '../calendar/settings.js';
import { homePaths } from '../users.js';
import { birthdayEvent } from './birthday-event.js';

/** The birthday calendar's name in every calendar home (Nextcloud's, so clients see the same URL). */
export const BIRTHDAY_CALENDAR = 'contact_birthdays';
const KV = 'birthdays';
const ORIGIN = 'birthdays';
const READ_BATCH = 500;

const stateKey = (userId: number): string => `state:${userId}`;
const offKey = (userId: number): string => `off:${userId}`;

/** Whether the user has the birthday calendar (on unless turned off). */
export async function birthdaysEnabled(store: Store, user: User): Promise<boolean> {
  return (await store.getValue(KV, offKey(user.id), Date.now())) === null;
}

/** Turn the birthday calendar on or off for a user; off deletes it, on builds it now. */
export async function setBirthdaysEnabled(store: Store, user: User, enabled: boolean): Promise<void> {
  await store.transaction([homePaths(user.name).calendars], async (tx) => {
    if (enabled) await tx.deleteValue(KV, offKey(user.id));
    else await tx.setValue(KV, offKey(user.id), '1', null);
    await tx.deleteValue(KV, stateKey(user.id));
  });
  await regenerateBirthdays(store, user.name);
}

/** What the calendar was computed from: every address book's id and sync sequence, and the calendar's id. */
function sourceState(books: readonly Resource[], calendar: Resource | null): string {
  return `${calendar?.id ?? '-'}|${books.map((b) => `${b.id}:${b.syncSeq}`).join(',')}`;
}

function properties(): { name: string; xml: string }[] {
  const p = (name: string, value: string) => ({ name, xml: serializeXml(el(name, {}, value), false) });
  return [
    p(dav('displayname'), 'Contact birthdays'),
    p(caldav('calendar-description'), 'Birthdays and anniversaries of your contacts (read-only, kept up to date by the server)'),
    p(appleIcal('calendar-color'), '#E5A50A'),
  ];
}

/** The events every card of the user's address books asks for, named stably by book, card and kind. */
async function wantedEvents(store: Store, books: readonly Resource[], calendar: Resource | null, calendarPath: string): Promise<Map<string, WantedMember>> {
  const wanted = new Map<string, WantedMember>();
  const settingsOf = calendar ? await calendarSettings(store, calendar) : { components: ['VEVENT', 'VTODO'], timezone: null };
  const limits = limitsWithin(settingsOf, MAX_RESOURCE_SIZE);
  for (const book of books) {
    const cards = (await store.listChildren(book.id)).filter((c) => !c.isCollection);
    for (let i = 0; i < cards.length; i += READ_BATCH) {
      const batch = cards.slice(i, i + READ_BATCH);
      const bodies = await store.readBodies(batch.map((c) => c.id));
      for (const c of batch) {
        const body = bodies.get(c.id);
        if (!body) continue;
        let card;
        try {
          card = parseStored(new TextDecoder().decode(body), c.contentType);
        } catch {
          continue; // stored before today's rules; nothing to derive from it
        }
        const name = displayNameOf(card);
        const cardKey = createHash('sha256').update(`${book.id}/${c.path.slice(book.path.length + 1)}`).digest('hex').slice(0, 24);
        for (const date of cardDates(card)) {
          const id = `${date.kind}-${cardKey}`;
          const member = `${id}.ics`;
          const uid = `${id}@birthdays.almanac`;
          try {
            const p = await prepareCalendarObject(store, calendar ?? book, `${calendarPath}/${member}`, new TextEncoder().encode(birthdayEvent(uid, name, date)), 'text/calendar', limits);
            wanted.set(member, { body: p.body, index: p.index });
          } catch (err) {
            if (!(err instanceof IcalError) && !(err instanceof UidConflict)) throw err;
          }
        }
      }
    }
  }
  return wanted;
}

/**
 * Bring a user's birthday calendar up to date with their address books (issue #13). Nothing is
 * read when no address book moved since the last run (their sync sequences are the state); else
 * the events are computed from every card and written in one transaction, only those that
 * changed, so the calendar's sync token moves exactly when its content does. The calendar is
 * created when the first contact with a date appears, and deleted when the user turns it off.
 * Returns null when there was nothing to do.
 */
export async function regenerateBirthdays(store: Store, userName: string): Promise<ReplaceOutcome | null> {
  const user = await store.getUserByName(userName);
  if (!user) return null;
  const homes = homePaths(user.name);
  const calendarPath = `${homes.calendars}/${BIRTHDAY_CALENDAR}`;
  const existing = await store.getResource(calendarPath);
  const calendar = existing?.derived === 'birthdays' ? existing : null;
  if (!(await birthdaysEnabled(store, user))) {
    if (!calendar) return null;
    await store.transaction([homes.calendars], async (tx) => {
      const c = await tx.getResource(calendarPath);
      if (c?.derived === 'birthdays') await tx.deleteResource(calendarPath, ORIGIN);
    });
    return { written: 0, deleted: 1, unchanged: 0 };
  }
  if (existing && !calendar) return null; // the user made a calendar of that name themselves
  const home = await store.getResource(homes.addressbooks);
  const books = home ? (await store.listChildren(home.id)).filter((b) => b.collectionType === 'addressbook') : [];
  const state = sourceState(books, calendar);
  if ((await store.getValue(KV, stateKey(user.id), Date.now())) === state) return null;
  const wanted = await wantedEvents(store, books, calendar, calendarPath);
  if (!calendar && wanted.size === 0) {
    await store.transaction([homes.calendars], (tx) => tx.setValue(KV, stateKey(user.id), state, null));
    return null;
  }
  return store.transaction([homes.calendars], async (tx) => {
    let target = await tx.getResource(calendarPath);
    if (target && target.derived !== 'birthdays') return null;
    if (!target) {
      target = await tx.createCollection(calendarPath, { ownerId: user.id, collectionType: 'calendar', derived: 'birthdays', origin: ORIGIN });
      await tx.patchProperties(target.id, properties(), []);
    }
    const outcome = await replaceMembers(tx, target, wanted, ORIGIN);
    await tx.setValue(KV, stateKey(user.id), sourceState(books, target), null);
    return outcome;
  });
}
