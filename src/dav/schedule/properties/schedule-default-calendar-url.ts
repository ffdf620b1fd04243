import { el } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import { deliveryCalendar } from '../../../domain/scheduling/boxes.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { areaOwnerName } from '../../core/resource.js';

/**
 * RFC 6638 §9.2 on the scheduling inbox: the calendar where the server puts the invitations it
 * processes (the default calendar, else the first calendar of the home). Protected here: the
 * server picks it.
 */
export const scheduleDefaultCalendarUrl: PropertyDef = {
  name: caldav('schedule-default-calendar-URL'),
  allprop: false,
  appliesTo: (r) => r.stored?.collectionType === 'schedule-inbox',
  get: async (ctx, r) => {
    const calendar = await deliveryCalendar(ctx.store, areaOwnerName(r.path) ?? ctx.user.name);
    return calendar ? [el(dav('href'), {}, hrefOf(calendar.path, true))] : [];
  },
};
