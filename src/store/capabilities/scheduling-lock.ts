/**
 * The scheduling lock (RFC 6638 §3.2 implicit scheduling across nodes): every copy of one event
 * — the organizer's and each attendee's on this server — shares its iCalendar UID, and a write
 * to any of them may read and rewrite the others (a REQUEST updates the attendees' copies, a
 * REPLY the organizer's). Writes of one UID hold this lock from before they read the copy they
 * replace until they commit, so no two read-modify-writes of the same event interleave, on
 * whichever node they run.
 */
export interface SchedulingLockWriter {
  /**
   * Lock these UIDs until the transaction ends; a transaction of another node asking for one of
   * them waits until this one commits or rolls back (and then reads what it committed). Taking
   * a UID the transaction already holds costs nothing. Resolves true when the transaction did
   * not hold every one of them yet and another transaction may have committed changes since it
   * last read (the caller reads again what it read before); false otherwise (SQLite: always, as
   * its single writer already runs one transaction at a time).
   */
  lockSchedulingObjects(uids: readonly string[]): Promise<boolean>;
}
