import { el } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import { scheduleBoxPaths } from '../../../domain/scheduling/boxes.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 6638 §2.1.1: the principal's scheduling outbox (on the DAV root: the current user's). */
export const scheduleOutboxUrl: PropertyDef = {
  name: caldav('schedule-outbox-URL'),
  allprop: false,
  appliesTo: (r) => (r.kind === 'principal' && r.principal !== null) || (r.kind === 'virtual' && r.path === '/'),
  get: (ctx, r) => [el(dav('href'), {}, hrefOf(scheduleBoxPaths(r.principal?.name ?? ctx.user.name).outbox, true))],
};
