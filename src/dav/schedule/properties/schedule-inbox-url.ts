import { el } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import { scheduleBoxPaths } from '../../../domain/scheduling/boxes.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 6638 §2.2.1: the principal's scheduling inbox (on the DAV root: the current user's). */
export const scheduleInboxUrl: PropertyDef = {
  name: caldav('schedule-inbox-URL'),
  allprop: false,
  appliesTo: (r) => (r.kind === 'principal' && r.principal !== null) || (r.kind === 'virtual' && r.path === '/'),
  get: (ctx, r) => [el(dav('href'), {}, hrefOf(scheduleBoxPaths(r.principal?.name ?? ctx.user.name).inbox, true))],
};
