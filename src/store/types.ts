/**
 * The storage model shared by every backend. Paths are store paths: decoded, beginning with
 * `/`, never ending with `/` (e.g. `/files/alice/notes.txt`); the DAV layer maps them to hrefs.
 */

export interface User {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly passwordHash: string;
  readonly createdAt: number;
  /** The directory the account comes from ('ldap', 'imap'); null = a local account (issue #19). */
  readonly directory?: string | null;
  /** Sealed TOTP secret (RFC 6238) when two-factor login is on; null = off. */
  readonly totpSecret?: string | null;
  /** May use the admin API and the web app's admin section (issue #19 item 6). */
  readonly isAdmin?: boolean;
  /** The user's own quota in bytes (RFC 4331); null = the server default. */
  readonly quotaBytes?: number | null;
  /** Bytes the user's resources use: bodies plus dead properties, kept by the store on every write. */
  readonly quotaUsed?: number;
}

/** What an app password may be used for (issue #19): DAV (CalDAV, CardDAV, WebDAV) or SyncML. */
export type AppPasswordScope = 'dav' | 'syncml';

/** A per-device password of a user; the secret itself is only ever stored hashed. */
export interface AppPassword {
  readonly id: string;
  readonly userId: number;
  readonly name: string;
  readonly scopes: readonly AppPasswordScope[];
  readonly secretHash: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/**
 * Recent failed authentications of one subject (an account name or a source address, see
 * domain/throttle.ts): how many since the count last started, and when the latest was.
 */
export interface AuthFailures {
  readonly subject: string;
  readonly failures: number;
  readonly lastFailureAt: number;
}

export interface NewUser {
  readonly name: string;
  readonly passwordHash: string;
  readonly email?: string | null;
  readonly displayName?: string | null;
  readonly directory?: string | null;
  readonly isAdmin?: boolean;
}

/** What kind of collection a collection is; '' for a plain WebDAV collection. */
/** `notification`: a user's CalendarServer notification collection (caldav-sharing §4). */
export type CollectionType = '' | 'calendar' | 'addressbook' | 'schedule-inbox' | 'schedule-outbox' | 'notification';

/**
 * A collection whose members the server writes itself (issue #13): an .ics subscription or the
 * birthday calendar, or the directory address book. It and its members are read-only to every
 * client (dav/acl/privileges.ts).
 */
export type DerivedKind = 'subscription' | 'birthdays' | 'directory';

/** Index columns kept beside an object so queries can prefilter without parsing it. */
export interface ObjectIndex {
  /** iCalendar/vCard UID. */
  readonly uid?: string | null;
  /** Main component type: VEVENT, VTODO, VJOURNAL, VCARD… */
  readonly component?: string | null;
  /** First instant the object occupies, ms since epoch; null = unbounded. */
  readonly firstStart?: number | null;
  /** Last instant the object occupies, ms since epoch; null = open-ended. */
  readonly lastEnd?: number | null;
  /**
   * Whether [firstStart, lastEnd) is exactly the object's RFC 4791 §9.9 time-range test for its
   * main component (firstStart < rangeEnd AND lastEnd > rangeStart ⇔ it overlaps), so a plain
   * comp-filter time-range is answered from the index. Absent = false (the object is parsed).
   */
  readonly spanExact?: boolean;
  /**
   * Precomputed VEVENT instance intervals as (start, end, positive 0|1) triples, valid for time
   * ranges ending at or before `eventIntervalsUntil` (null: all of them); absent or null = none.
   * Kept by the store and given back by `readEventIntervals`; the domain decides what they mean.
   */
  readonly eventIntervals?: Float64Array | null;
  readonly eventIntervalsUntil?: number | null;
  /**
   * Beside eventIntervals: what the domain reads to expand the object without parsing it (a
   * text it writes and reads back, formats/ical/expand.ts `SeriesText`); kept and given back
   * with the intervals, never read otherwise. Absent or null = none.
   */
  readonly seriesText?: string | null;
  /**
   * A text the domain made from the object when it was written and reads back instead of
   * parsing it (a lone event's CALDAV:expand answer, domain/calendar/expanded-text.ts); given
   * back by `readExpandedTexts` only for the version it was written with. Absent or null = none.
   */
  readonly expandedText?: string | null;
  /** Searchable property values (e.g. vCard FN, EMAIL), already folded; replaces the old ones. */
  readonly search?: readonly SearchEntry[];
}

/** One searchable value of an object: a property name and its case-folded value. */
export interface SearchEntry {
  readonly prop: string;
  readonly value: string;
}

/** How `searchObjects` compares folded values; `defined` = the property is present at all. */
export interface SearchMatch {
  readonly kind: 'equals' | 'contains' | 'starts-with' | 'ends-with' | 'defined';
  readonly folded: string;
}

/**
 * An index prefilter over a collection's objects (Store.queryObjects). A range keeps objects
 * with firstStart < rangeEnd AND (lastEnd IS NULL OR lastEnd > rangeStart); null index values
 * are unbounded, so the answer is a superset the caller then filters exactly.
 */
export interface ObjectQuery {
  readonly component?: string;
  readonly uid?: string;
  readonly rangeStart?: number;
  readonly rangeEnd?: number;
}

export interface Resource {
  readonly id: number;
  readonly path: string;
  readonly parentId: number | null;
  readonly isCollection: boolean;
  readonly collectionType: CollectionType;
  readonly ownerId: number;
  readonly contentType: string | null;
  readonly size: number;
  /** Strong entity tag, quoted. */
  readonly etag: string;
  readonly createdAt: number;
  readonly modifiedAt: number;
  /** For collections: sequence number of the newest change recorded for it (its sync token). */
  readonly syncSeq: number;
  readonly uid: string | null;
  readonly component: string | null;
  readonly firstStart: number | null;
  readonly lastEnd: number | null;
  /** See ObjectIndex.spanExact. */
  readonly spanExact: boolean;
  /**
   * Counts metadata writes the change feed does not record: this resource's dead properties and
   * collection type and, for a collection, its members' (dead properties, collection type, and
   * a member collection's own feed, which its etag and sync token show). A collection's
   * (id, syncSeq, metaSeq) changes whenever anything a report on it reads changes.
   */
  readonly metaSeq: number;
  /**
   * Set on a derived collection and on every member the store writes into one (a member takes
   * its collection's kind when it is created); null for everything clients write.
   */
  readonly derived: DerivedKind | null;
}

export interface DeadProperty {
  /** Clark name. */
  readonly name: string;
  /** Self-contained XML of the whole property element (declares its own namespaces). */
  readonly xml: string;
}

export type ChangeOp = 'put' | 'delete';

/** One entry of a collection's change feed. */
export interface Change {
  readonly collectionId: number;
  readonly seq: number;
  /** Member name (last path segment) that changed; a collection's ends in `/` (store/paths.ts memberName). */
  readonly name: string;
  readonly op: ChangeOp;
  /** Who made the change (e.g. a SyncML device id), so a writer can skip its own echoes. */
  readonly origin: string | null;
  readonly at: number;
}

export type LockScope = 'exclusive' | 'shared';

export interface Lock {
  readonly token: string;
  readonly path: string;
  readonly depth: 0 | 'infinity';
  readonly scope: LockScope;
  /** Client-supplied DAV:owner XML, verbatim; null when none. */
  readonly ownerXml: string | null;
  readonly principalId: number;
  /** Requested timeout in seconds; null = Infinite. */
  readonly timeoutSeconds: number | null;
  readonly expiresAt: number;
  readonly createdAt: number;
}

export interface PutOptions {
  readonly ownerId: number;
  readonly body: Uint8Array;
  readonly contentType: string | null;
  readonly etag: string;
  readonly origin?: string | null;
  readonly index?: ObjectIndex;
}

export interface CreateCollectionOptions {
  readonly ownerId: number;
  /** A home collection (e.g. `/files/alice`) has no stored parent. */
  readonly home?: boolean;
  readonly collectionType?: CollectionType;
  readonly origin?: string | null;
  /** Make the collection a derived (read-only) one. */
  readonly derived?: DerivedKind;
}

export interface PutResult {
  readonly resource: Resource;
  readonly created: boolean;
}

/** A SyncML device of a user (issue #5): what its DevInf said, and when it last synced. */
export interface SyncDevice {
  readonly userId: number;
  readonly deviceId: string;
  /** JSON: the device's parsed DevInf and operator settings (datastore routes). */
  readonly info: string;
  readonly createdAt: number;
  readonly lastSyncAt: number | null;
}

/** Anchors of one SyncML datastore of a device, committed after a successful session. */
export interface SyncAnchor {
  readonly userId: number;
  readonly deviceId: string;
  /** Server datastore key, e.g. `/calendars/alice/default#VTODO`. */
  readonly datastore: string;
  readonly clientAnchor: string | null;
  readonly serverAnchor: string | null;
  /** Change-feed sequence of the collection the device has seen. */
  readonly serverSeq: number;
  readonly lastMode: number | null;
  readonly lastSyncAt: number;
}

/** One LUID ⇄ GUID pair of a device's datastore. */
export interface SyncIdMapEntry {
  readonly guid: string;
  readonly luid: string;
}

/** ObjectIndex.expandedText of an object, with the etag of the version it was written for (the row's). */
export interface ExpandedText {
  readonly etag: string;
  readonly text: string;
}

/** Precomputed intervals of one object (see ObjectIndex.eventIntervals). */
export interface StoredIntervals {
  readonly intervals: Float64Array;
  readonly until: number | null;
  /** ObjectIndex.seriesText as written with them; absent or null when none was. */
  readonly seriesText?: string | null;
}

/**
 * An .ics subscription (issue #13): the calendar collection it fills, the feed's URL, how often
 * it is fetched, the HTTP validators of the last answer and what happened last time.
 */
export interface CalendarSubscription {
  readonly collectionId: number;
  readonly ownerId: number;
  readonly url: string;
  readonly refreshSeconds: number;
  /** ETag and Last-Modified of the last 200 answer, sent back as If-None-Match / If-Modified-Since. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly lastAttemptAt: number | null;
  readonly lastSuccessAt: number | null;
  /** Why the last attempt failed; null after a success. */
  readonly lastError: string | null;
  /** When the feed is due next (ms since epoch). */
  readonly nextRefreshAt: number;
}

/** A queued iTIP message for a recipient outside this server (issue #16; drained by the mail transport). */
export interface NewOutboundItip {
  /** The recipient's calendar user address, e.g. `mailto:bob@example.org`. */
  readonly recipient: string;
  /** The iCalendar METHOD (RFC 5546 §1.4): REQUEST, REPLY, CANCEL, … */
  readonly method: string;
  readonly icsText: string;
  /** The organizer's calendar user address. */
  readonly organizer: string;
  /** The user of this server who sent it (organizer or replying attendee). */
  readonly senderUserId: number;
  readonly createdAt: number;
}

export interface OutboundItip extends NewOutboundItip {
  readonly id: number;
  /** pending: to send (again at `nextAttemptAt`); sent; failed: given up. */
  readonly state: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

/** What a transport reports for one claimed message. */
export type OutboundItipResult =
  { readonly ok: true } | { readonly ok: false; readonly error: string; readonly retryAt: number | null };
