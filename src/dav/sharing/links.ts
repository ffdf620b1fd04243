import type { SharingLinks } from '../../domain/sharing/notifications.js';
import { hrefOf } from '../core/paths.js';
import { principalPath } from '../core/resource.js';

/** Where sharing's notifications and properties point: hrefs under the DAV root. */
export function sharingLinks(): SharingLinks {
  return {
    collectionHref: (path) => hrefOf(path, true),
    principalHref: (user) => hrefOf(principalPath(user.name), true),
  };
}
