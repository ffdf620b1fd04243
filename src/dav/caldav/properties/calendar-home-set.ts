import { el } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * RFC 4791 §6.2.1. A principal property; also answered on the DAV root for the current user,
 * since several clients ask for it there before they know their principal.
 */
export const calendarHomeSet: PropertyDef = {
  name: caldav('calendar-home-set'),
  allprop: false,
  appliesTo: (r) => (r.kind === 'principal' && r.principal !== null) || (r.kind === 'virtual' && r.path === '/'),
  get: (ctx, r) => [el(dav('href'), {}, hrefOf(`/calendars/${r.principal?.name ?? ctx.user.name}`, true))],
};
