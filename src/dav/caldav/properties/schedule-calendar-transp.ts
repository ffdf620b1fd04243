import { el, isElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar } from '../calendar-collection.js';

/** RFC 6638 §9.1: whether the calendar counts for free-busy; opaque unless set. */
export const scheduleCalendarTransp: PropertyDef = {
  name: caldav('schedule-calendar-transp'),
  allprop: false,
  appliesTo: isCalendar,
  get: () => [el(caldav('opaque'))],
  validate: (_ctx, _r, value) => {
    const kids = value.children.filter(isElement);
    if (kids.length !== 1 || ![caldav('opaque'), caldav('transparent')].includes(kids[0]?.name ?? '')) {
      throw new DavError(409, 'schedule-calendar-transp holds CALDAV:opaque or CALDAV:transparent');
    }
  },
};
