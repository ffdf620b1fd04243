import { el } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 6638 §2.4.1: the user's calendar addresses: mailto: their e-mail, and the principal URL. */
export const calendarUserAddressSet: PropertyDef = {
  name: caldav('calendar-user-address-set'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal',
  get: (_ctx, r) => [
    ...(r.principal?.email ? [el(dav('href'), {}, `mailto:${r.principal.email}`)] : []),
    el(dav('href'), {}, hrefOf(r.path, true)),
  ],
};
