import { ObjectRefused, type Refusal } from '../../domain/objects/object-refused.js';
import { el } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { needPrivileges } from '../acl/privileges.js';
import { DavError } from './errors.js';
import { hrefOf } from './paths.js';
import type { PreconditionName } from './preconditions.js';

const hrefs = (paths: readonly string[]) => paths.map((p) => el(dav('href'), {}, hrefOf(p, false)));

/** A domain refusal as the DAV status and precondition element it has always been answered with. */
export function davErrorOfRefusal(r: Refusal, message: string): DavError {
  switch (r.code) {
    case 'need-privileges':
      return needPrivileges(hrefOf(r.path, r.isCollection), r.privilege);
    // A collection made here since the handler's check: 405, its Allow added by the handler (RFC 9110 §15.5.6).
    case 'is-collection':
      return new DavError(405, 'cannot PUT to a collection');
    case 'no-parent':
      return new DavError(409, 'the parent collection does not exist');
    case 'object-in-home':
      return DavError.condition(
        r.home === 'calendars'
          ? 'caldav:calendar-collection-location-ok'
          : 'carddav:addressbook-collection-location-ok',
        message,
      );
    case 'wrong-collection-type':
      return new DavError(403, message);
    case 'not-found':
      return DavError.notFound();
    case 'not-removable':
      return new DavError(403, 'this resource cannot be deleted');
    case 'precondition-failed':
      return new DavError(412, r.message);
    // RFC 4918 §9.10.7 / §7: 423 with the locked resources.
    case 'locked':
      return DavError.condition(
        'lock-token-submitted',
        'the resource is locked and no lock token was submitted for it',
        hrefs(r.paths),
      );
    // RFC 4791 §5.3.2.1: the IcalError's code names the precondition.
    case 'calendar-data':
      return DavError.condition(`caldav:${r.error.code}` as PreconditionName, r.error.message);
    case 'calendar-uid-conflict':
      return DavError.condition('caldav:no-uid-conflict', message, hrefs([r.path]));
    // caldav-sharing §5.5.5 item 1, answered as RFC 6638's organizer refusal.
    case 'organizer-not-sharer':
      return DavError.condition('caldav:valid-organizer', message);
    // RFC 6352 §6.3.2.1.
    case 'card-data':
      return DavError.condition(
        `carddav:${r.error.reason}`,
        r.error.message,
        hrefs(r.error.conflictPath ? [r.error.conflictPath] : []),
      );
    // RFC 4331 §6: 507 Insufficient Storage with DAV:quota-not-exceeded.
    case 'quota-exceeded':
      return DavError.condition('quota-not-exceeded', message);
  }
}

/** Run a domain operation; its refusals become DavErrors. */
export async function asDav<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ObjectRefused) throw davErrorOfRefusal(err.refusal, err.message);
    throw err;
  }
}
