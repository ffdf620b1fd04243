import { el } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { principalPath } from '../../core/resource.js';

/**
 * RFC 6638 §2.4.1: the user's calendar addresses: mailto: their e-mail, and the principal URL.
 * A principal property; on the DAV root it answers for the current user, like calendar-home-set.
 */
export const calendarUserAddressSet: PropertyDef = {
  name: caldav('calendar-user-address-set'),
  allprop: false,
  appliesTo: (r) => (r.kind === 'principal' && r.principal !== null) || (r.kind === 'virtual' && r.path === '/'),
  get: (ctx, r) => {
    const user = r.principal ?? ctx.user;
    return [
      ...(user.email ? [el(dav('href'), {}, `mailto:${user.email}`)] : []),
      el(dav('href'), {}, hrefOf(principalPath(user.name), true)),
    ];
  },
};
