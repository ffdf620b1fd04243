import type { DavResource } from '../core/resource.js';

/** Where registration URLs live (the HTTP layer answers DELETE there); the id follows. */
export const REGISTRATION_PATH = '/push/registrations/';

/** A calendar or address book home: `/calendars/<user>`, `/addressbooks/<user>`. */
const HOME = /^\/(calendars|addressbooks)\/[^/]+$/;

/**
 * Whether WebDAV-Push is offered on `r` (draft-bitfire-webdav-push § CalDAV/CardDAV): calendars,
 * address books, the scheduling inbox and outbox, and the calendar and address book homes (a
 * client hears of new collections there). Only stored collections: the topic is the id's.
 */
export function pushCapable(r: DavResource | null): boolean {
  const s = r?.stored;
  if (!s?.isCollection) return false;
  return s.collectionType !== '' || HOME.test(s.path);
}
