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

/** What a run did: members written, deleted and left alone, and how many cards it read. */
export type BirthdayOutcome = ReplaceOutcome & { readonly cardsRead: number };

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

/**
 * What the calendar was last computed from: its own id and every address book's sync sequence
 * (kv `birthdays` / `state:USERID`). The next run reads only the cards the books' change feeds
 * name since then.
 */
interface SourceState {
  readonly calendar: number | null;
  readonly books: Readonly<Record<string, number>>;
}

function stateOf(books: readonly Resource[], calendar: Resource | null): SourceState {
  return { calendar: calendar?.id ?? null, books: Object.fromEntries(books.map((b) => [String(b.id), b.syncSeq])) };
}

function parseState(text: string | null): SourceState | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as SourceState;
    return typeof v === 'object' && v !== null && typeof v.books === 'object' ? v : null;
  } catch {
    return null;
  }
}

const sameState = (a: SourceState, b: SourceState | null): boolean =>
  b !== null && JSON.stringify(a) === JSON.stringify({ calendar: b.calendar, books: b.books });

/** Most changes of one book read incrementally; past that the book is read whole. */
const MAX_INCREMENTAL = 5_000;

function properties(): { name: string; xml: string }[] {
  const p = (name: string, value: string) => ({ name, xml: serializeXml(el(name, {}, value), false) });
  return [
    p(dav('displayname'), 'Contact birthdays'),
    p(
      caldav('calendar-description'),
      'Birthdays and anniversaries of your contacts (read-only, kept up to date by the server)',
    ),
    p(appleIcal('calendar-color'), '#E5A50A'),
  ];
}

const KINDS = ['birthday', 'anniversary'] as const;

/** The member name of a card's event: by book, kind and card name, so a card's events are found without reading it. */
function memberName(bookId: number, kind: (typeof KINDS)[number], cardName: string): string {
  return `${bookId}-${kind}-${createHash('sha256').update(cardName).digest('hex').slice(0, 24)}.ics`;
}

/** What one run recomputes: the events wanted, and the existing names it may delete. */
interface Plan {
  readonly wanted: Map<string, WantedMember>;
  /** A full run (no usable state): every existing member not wanted goes. */
  readonly all: boolean;
  /** Books read whole: every member of theirs is in scope. */
  readonly wholeBooks: Set<number>;
  /** Names of the cards' events read one by one (changed, added or deleted cards). */
  readonly names: Set<string>;
  /** Bodies read (for tests and logs). */
  cardsRead: number;
}

/** Which cards of `book` to read: all (null), or those the change feed names since `since`. */
async function changedCards(store: Store, book: Resource, since: number | undefined): Promise<Set<string> | null> {
  if (since === undefined || since > book.syncSeq || since < (await store.oldestSyncSeq(book.id))) return null;
  const changes = await store.changesSince(book.id, since, MAX_INCREMENTAL + 1);
  if (changes.length > MAX_INCREMENTAL) return null;
  return new Set(changes.map((c) => c.name));
}

/** Read `cards` of `book` and add the events they ask for to the plan. */
async function addEvents(
  store: Store,
  book: Resource,
  cards: readonly Resource[],
  plan: Plan,
  calendarPath: string,
  limits: ReturnType<typeof limitsWithin>,
  calendar: Resource | null,
): Promise<void> {
  for (let i = 0; i < cards.length; i += READ_BATCH) {
    const batch = cards.slice(i, i + READ_BATCH);
    const bodies = await store.readBodies(batch.map((c) => c.id));
    plan.cardsRead += bodies.size;
    for (const c of batch) {
      const body = bodies.get(c.id);
      if (!body) continue;
      let card;
      try {
        card = parseStored(new TextDecoder().decode(body), c.contentType);
      } catch {
        continue; // stored before today's rules; nothing to derive from it
      }
      const who = displayNameOf(card);
      for (const date of cardDates(card)) {
        const member = memberName(book.id, date.kind, c.path.slice(book.path.length + 1));
        const uid = `${member.slice(0, -4)}@birthdays.almanac`;
        try {
          // The PUT rules; before the calendar exists no UID can clash, so the book stands in for it.
          const p = await prepareCalendarObject(
            store,
            calendar ?? book,
            `${calendarPath}/${member}`,
            new TextEncoder().encode(birthdayEvent(uid, who, date)),
            'text/calendar',
            limits,
          );
          plan.wanted.set(member, { body: p.body, index: p.index });
        } catch (err) {
          if (!(err instanceof IcalError) && !(err instanceof UidConflict)) throw err;
        }
      }
    }
  }
}

/**
 * The events to write: for a book seen last time whose feed still reaches back, only the cards
 * its changes name (their events' names are in scope, wanted or not); any other book is read
 * whole; a book that is gone puts all its events in scope (deleted).
 */
async function plan(
  store: Store,
  books: readonly Resource[],
  last: SourceState | null,
  calendar: Resource | null,
  calendarPath: string,
): Promise<Plan> {
  // Also before the calendar exists (no card had a date yet): the state says which cards were
  // read, so an edit reads that card, not the whole book again.
  const incremental = last !== null && last.calendar === (calendar?.id ?? null);
  const p: Plan = { wanted: new Map(), all: !incremental, wholeBooks: new Set(), names: new Set(), cardsRead: 0 };
  const settings = calendar
    ? await calendarSettings(store, calendar)
    : { components: ['VEVENT', 'VTODO'], timezone: null };
  const limits = limitsWithin(settings, MAX_RESOURCE_SIZE);
  for (const book of books) {
    const changed = incremental ? await changedCards(store, book, last.books[String(book.id)]) : null;
    if (changed === null) {
      p.wholeBooks.add(book.id);
      await addEvents(
        store,
        book,
        (await store.listChildren(book.id)).filter((c) => !c.isCollection),
        p,
        calendarPath,
        limits,
        calendar,
      );
      continue;
    }
    for (const name of changed) for (const kind of KINDS) p.names.add(memberName(book.id, kind, name));
    const cards = await store.getResourcesByPaths([...changed].map((name) => `${book.path}/${name}`));
    await addEvents(
      store,
      book,
      cards.filter((c) => !c.isCollection),
      p,
      calendarPath,
      limits,
      calendar,
    );
  }
  for (const id of Object.keys(last?.books ?? {})) {
    if (!books.some((b) => String(b.id) === id)) p.wholeBooks.add(Number(id));
  }
  return p;
}

/**
 * Bring a user's birthday calendar up to date with their address books (issue #13). Nothing is
 * read when no address book moved since the last run (their sync sequences are the state); else
 * only the cards their change feeds name since then are read (a whole book when its history no
 * longer reaches back, it is new, or there is no state), and the events are written in one
 * transaction, only those that changed, so the calendar's sync token moves exactly when its
 * content does. The calendar is
 * created when the first contact with a date appears, and deleted when the user turns it off.
 * Returns null when there was nothing to do.
 */
export async function regenerateBirthdays(store: Store, userName: string): Promise<BirthdayOutcome | null> {
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
    return { written: 0, deleted: 1, unchanged: 0, membersRead: 0, cardsRead: 0 };
  }
  if (existing && !calendar) return null; // the user made a calendar of that name themselves
  const home = await store.getResource(homes.addressbooks);
  const books = home ? (await store.listChildren(home.id)).filter((b) => b.collectionType === 'addressbook') : [];
  const state = stateOf(books, calendar);
  const last = parseState(await store.getValue(KV, stateKey(user.id), Date.now()));
  if (sameState(state, last)) return null;
  const work = await plan(store, books, last, calendar, calendarPath);
  if (!calendar && work.wanted.size === 0) {
    await store.transaction([homes.calendars], (tx) => tx.setValue(KV, stateKey(user.id), JSON.stringify(state), null));
    return { written: 0, deleted: 0, unchanged: 0, membersRead: 0, cardsRead: work.cardsRead };
  }
  return store.transaction([homes.calendars], async (tx) => {
    let target = await tx.getResource(calendarPath);
    if (target && target.derived !== 'birthdays') return null;
    if (!target) {
      target = await tx.createCollection(calendarPath, {
        ownerId: user.id,
        collectionType: 'calendar',
        derived: 'birthdays',
        origin: ORIGIN,
      });
      await tx.patchProperties(target.id, properties(), []);
    }
    const inScope = (name: string): boolean =>
      work.all || work.names.has(name) || work.wholeBooks.has(Number(name.split('-', 1)[0]));
    // Only the changed cards' events are looked up, unless a whole book (or everything) is redone.
    const only = work.all || work.wholeBooks.size > 0 ? null : work.names;
    const outcome = await replaceMembers(tx, target, work.wanted, ORIGIN, inScope, only);
    await tx.setValue(KV, stateKey(user.id), JSON.stringify(stateOf(books, target)), null);
    return { ...outcome, cardsRead: work.cardsRead };
  });
}
