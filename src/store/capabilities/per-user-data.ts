/**
 * Per-user calendar data in shared calendars (caldav-sharing §5.5.4, migration 17): a sharee's
 * own TRANSP and VALARMs of one calendar object, kept apart from the shared body (which holds
 * the owner's). The text is a VCALENDAR of stubs (formats/ical/per-user.ts). Rows go with their
 * object, their user, and the user's share of the object's collection.
 */

/** One user's per-user data of one object. */
export interface PerUserEntry {
  readonly userId: number;
  readonly ical: string;
}

/** Per-user data, read. */
export interface PerUserDataReader {
  /** Every user's per-user data of one object, by user id. */
  perUserDataOf(resourceId: number): Promise<PerUserEntry[]>;
  /** One user's per-user data of each of `resourceIds` that has any, by resource id. */
  perUserDataFor(userId: number, resourceIds: readonly number[]): Promise<Map<number, string>>;
}

/** Per-user data, written. */
export interface PerUserDataWriter {
  /** Set one user's per-user data of one object; null removes it. */
  putPerUserData(resourceId: number, userId: number, ical: string | null): Promise<void>;
}
