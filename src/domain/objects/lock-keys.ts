import { parentPath } from '../../store/paths.js';
import type { MemberLockWriter, TxLocks } from '../../store/store.js';
import { cardUidOf } from '../../formats/vcard/uid.js';

/**
 * Transaction lock keys of writes (Store.transaction): the user areas (`/calendars/alice`) the
 * given paths lie in, so writes to one user's data are serialised and others run in parallel.
 */
export function areaKeys(...paths: string[]): string[] {
  return [...new Set(paths.map((p) => p.split('/').slice(0, 3).join('/') || '/'))];
}

/**
 * The locks of one object write (writeObject): its user's area shared
 * and the member's path alone. Writes of other members of the area run beside it (issue #20:
 * on PostgreSQL a write held its whole home for a dozen round trips, so one client's uploads
 * ran one at a time); whatever changes the area itself (MKCOL, MOVE, DELETE, ACL, sharing, LOCK)
 * holds it alone and waits for them. What two members' writes share is serialised by the database:
 * the collection's row (its sync sequence, the change feed), the owner's quota row, the UIDs
 * (scheduling-lock.ts, member-lock.ts).
 */
export function memberLocks(path: string): TxLocks {
  return { shared: areaKeys(path), exclusive: [`member:${path}`] };
}

/**
 * Lock the UID a card body names among the members of the collection it is written into, before
 * the write looks for another member holding it (RFC 6352 §6.3.2.1; store/capabilities/member-lock.ts).
 */
export function lockCardUid(tx: MemberLockWriter, path: string, body: Uint8Array): Promise<boolean> {
  const uid = cardUidOf(body);
  return uid === undefined ? Promise.resolve(false) : tx.lockMemberUids(parentPath(path), [uid]);
}
