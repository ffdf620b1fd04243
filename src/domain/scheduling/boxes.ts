/**
 * Every user's scheduling collections (RFC 6638 §2.1 outbox, §2.2 inbox) and default calendar
 * (§9.2), at fixed places in the calendar home.
 */
import type { ObjectsReader, StoreTx } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';

const INBOX = 'inbox';
const OUTBOX = 'outbox';

/** The store paths of a user's scheduling inbox and outbox. */
export function scheduleBoxPaths(userName: string): { inbox: string; outbox: string } {
  return { inbox: `/calendars/${userName}/${INBOX}`, outbox: `/calendars/${userName}/${OUTBOX}` };
}

/** The calendar the server delivers invitations into unless the user chose another (RFC 6638 §9.2). */
function defaultCalendarPath(userName: string): string {
  return `/calendars/${userName}/default`;
}

/**
 * Create the user's inbox and outbox if missing (users made before issue #16 have none; every
 * delivery and createUser call this); returns the inbox.
 */
export async function ensureScheduleBoxes(tx: StoreTx, user: Pick<User, 'id' | 'name'>): Promise<Resource> {
  const paths = scheduleBoxPaths(user.name);
  if (!(await tx.getResource(paths.outbox)))
    await tx.createCollection(paths.outbox, { ownerId: user.id, collectionType: 'schedule-outbox' });
  return (
    (await tx.getResource(paths.inbox)) ??
    tx.createCollection(paths.inbox, { ownerId: user.id, collectionType: 'schedule-inbox' })
  );
}

/**
 * The calendar invitations go into: the default calendar when it exists, else the first
 * calendar of the home (by path); null when the user has none.
 */
export async function deliveryCalendar(reader: ObjectsReader, userName: string): Promise<Resource | null> {
  const preferred = await reader.getResource(defaultCalendarPath(userName));
  if (preferred?.collectionType === 'calendar') return preferred;
  const home = await reader.getResource(`/calendars/${userName}`);
  if (!home) return null;
  return (await reader.listChildren(home.id)).find((c) => c.collectionType === 'calendar') ?? null;
}
