/**
 * Whether the server processes a user's incoming invitations into their calendar (RFC 6638 §4
 * leaves it to the server): on by default, as most clients (Thunderbird, DAVx5, Evolution) never
 * read the scheduling inbox; off keeps a NEW invitation in the inbox only until a client that
 * processes the inbox (Apple Calendar, the web app) accepts it into a calendar. Updates and
 * cancellations of an event already in the user's calendar are applied either way: the user took
 * it into their calendar, which then has to stay true.
 */
import type { KvReader, Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { scheduleBoxPaths } from './boxes.js';

const KV = 'scheduling';
const manualKey = (userId: number): string => `manual:${userId}`;

export async function autoProcessEnabled(reader: KvReader, user: Pick<User, 'id'>): Promise<boolean> {
  return (await reader.getValue(KV, manualKey(user.id), Date.now())) === null;
}

export async function setAutoProcess(store: Store, user: Pick<User, 'id' | 'name'>, enabled: boolean): Promise<void> {
  await store.transaction([scheduleBoxPaths(user.name).inbox], async (tx) => {
    if (enabled) await tx.deleteValue(KV, manualKey(user.id));
    else await tx.setValue(KV, manualKey(user.id), '1', null);
  });
}
