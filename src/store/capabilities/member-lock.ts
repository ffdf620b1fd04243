/**
 * Locks on the UIDs of one collection's members (RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1
 * no-uid-conflict). An object write holds its user's area shared (capabilities/transactional.ts
 * TxLocks), so two writes of different members of one address book may run at once; each locks
 * its body's UID in the collection before it looks for another member holding it, so no two
 * members end up with one UID. Calendar objects need no such lock: every write of one holds its
 * UIDs' scheduling lock (capabilities/scheduling-lock.ts) before its checks.
 */
export interface MemberLockWriter {
  /**
   * Lock these UIDs of members of the collection at `collectionPath` until the transaction ends.
   * Resolves as `lockSchedulingObjects` does: true when a lock was newly taken on a store where
   * another transaction may have committed meanwhile (SQLite: never).
   */
  lockMemberUids(collectionPath: string, uids: readonly string[]): Promise<boolean>;
}
