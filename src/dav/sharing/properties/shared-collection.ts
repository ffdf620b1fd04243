import { canBeShared } from '../../../domain/sharing/sharees.js';
import type { DavResource } from '../../core/resource.js';

/** A calendar or address book that can be shared, or a sharee's instance of one (caldav-sharing §5.2). */
export function isShareable(r: DavResource): boolean {
  return r.stored !== null && canBeShared(r.stored);
}
