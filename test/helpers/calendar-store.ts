/**
 * A throwaway SQLite store holding one user, alice, with a calendar home and one calendar: the
 * set-up of store tests that write events through the one write path and observe what a query
 * or a write does.
 */
import type { Store } from '../../src/store/store.js';
import { scratchSqliteStore } from './scratch-store.js';

export interface CalendarStore {
  readonly store: Store;
  readonly alice: { readonly id: number; readonly name: string };
  readonly calendarId: number;
  /** The calendar's store path. */
  readonly calendar: string;
  close(): Promise<void>;
}

export async function openCalendarStore(prefix: string): Promise<CalendarStore> {
  const { store, close } = scratchSqliteStore(prefix);
  const calendar = '/calendars/alice/default';
  const { alice, calendarId } = await store.transaction([], async (tx) => {
    const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
    await tx.createCollection('/calendars/alice', { ownerId: u.id, home: true });
    const c = await tx.createCollection(calendar, { ownerId: u.id, collectionType: 'calendar' });
    return { alice: { id: u.id, name: u.name }, calendarId: c.id };
  });
  return {
    store,
    alice,
    calendarId,
    calendar,
    close,
  };
}
