import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendarObject } from '../calendar-collection.js';
import { memberText } from '../../core/per-user-view.js';

/**
 * RFC 4791 §9.6 as a property of calendar object resources: the whole object as stored (a
 * sharee's own alarms and transparency in place of the owner's, caldav-sharing §5.5.4). Reports
 * with a CALDAV:calendar-data request (partial, expand, jCal) answer it themselves.
 */
export const calendarData: PropertyDef = {
  name: caldav('calendar-data'),
  allprop: false,
  cacheable: true,
  appliesTo: isCalendarObject,
  get: async (ctx, r) =>
    r.stored
      ? [await memberText(ctx, r.stored, new TextDecoder().decode(await ctx.store.readBody(r.stored.id)))]
      : undefined,
};
