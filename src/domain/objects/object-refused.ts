import type { IcalError } from '../../formats/ical/errors.js';
import type { CardRejected } from '../contacts/object.js';
import type { Privilege } from './privileges.js';

/**
 * Why the domain refused a write or delete. Each protocol renders it its own way: DAV as the
 * status and precondition element (RFC 4918, RFC 3744 §7.1.1, RFC 4791 §5.3.2.1, RFC 6352
 * §6.3.2.1), SyncML as an item status, `almanac import` as a skipped line.
 */
export type Refusal =
  /** The principal lacks `privilege` on the resource at `path` (RFC 3744 §7.1.1 need-privileges). */
  | {
      readonly code: 'need-privileges';
      readonly path: string;
      readonly isCollection: boolean;
      readonly privilege: Privilege;
    }
  /** The target is a collection: objects only. */
  | { readonly code: 'is-collection' }
  /** No stored collection holds the target (RFC 4918 §9.7.1: 409). */
  | { readonly code: 'no-parent' }
  /**
   * A calendar or address-book home holds collections only: an object there would be in no
   * calendar or address book, invisible to every client (answered as RFC 4791 §5.3.1
   * calendar-collection-location-ok / RFC 6352 §6.3.2.1 addressbook-collection-location-ok).
   */
  | { readonly code: 'object-in-home'; readonly home: 'calendars' | 'addressbooks' }
  /** The collection is not of a type this writer may write into. */
  | { readonly code: 'wrong-collection-type'; readonly collectionType: string | null }
  /** Nothing to delete at the path. */
  | { readonly code: 'not-found' }
  /** The resource cannot be removed (its parent is not a stored collection). */
  | { readonly code: 'not-removable' }
  /** The If-Match / If-None-Match:* precondition of the request does not hold. */
  | { readonly code: 'precondition-failed'; readonly message: string }
  /** WebDAV locks (RFC 4918 §7) cover the target and their tokens were not submitted. */
  | { readonly code: 'locked'; readonly paths: readonly string[]; readonly tokens: readonly string[] }
  /** Invalid or unacceptable calendar data (RFC 4791 §5.3.2.1; `error.code` names the condition). */
  | { readonly code: 'calendar-data'; readonly error: IcalError }
  /** Another calendar object of the collection holds the UID (RFC 4791 §5.3.2.1 no-uid-conflict). */
  | { readonly code: 'calendar-uid-conflict'; readonly path: string }
  /** A sharee named an ORGANIZER other than the shared calendar's owner (caldav-sharing §5.5.5). */
  | { readonly code: 'organizer-not-sharer'; readonly organizer: string }
  /** A card refused (RFC 6352 §6.3.2.1; `error.reason` names the condition). */
  | { readonly code: 'card-data'; readonly error: CardRejected }
  /** The write would grow the owner's usage past their quota (RFC 4331 §6 quota-not-exceeded). */
  | { readonly code: 'quota-exceeded'; readonly limit: number; readonly used: number };

/** A write or delete the domain refused; `refusal` says why, as data. */
export class ObjectRefused extends Error {
  constructor(
    readonly refusal: Refusal,
    message: string,
  ) {
    super(message);
    this.name = 'ObjectRefused';
  }
}
