import { caldav } from '../../../xml/names.js';
import { scheduleTagOf } from '../../../domain/scheduling/schedule-tag.js';
import { isCalendarObject } from '../../caldav/calendar-collection.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 6638 §9.3 (and §3.2.10): the Schedule-Tag of a scheduling object resource; absent on other objects. */
export const scheduleTag: PropertyDef = {
  name: caldav('schedule-tag'),
  allprop: false,
  appliesTo: isCalendarObject,
  get: async (ctx, r) => {
    const tag = await scheduleTagOf(ctx.store, r.path);
    return tag ? [tag] : undefined;
  },
};
