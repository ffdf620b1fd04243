/** What an address book and an address object resource are (the CardDAV side of caldav/calendar-collection.ts). */
import type { DavResource } from '../core/resource.js';

export function isAddressbook(r: DavResource): boolean {
  return r.stored?.isCollection === true && r.stored.collectionType === 'addressbook';
}

/** An address object resource: a member of an address book (resolved by the caller). */
export function isCardPath(r: DavResource): boolean {
  return r.stored !== null && !r.stored.isCollection && r.path.startsWith('/addressbooks/');
}
