import { el } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar } from '../calendar-collection.js';

/** RFC 4791 §5.2.4: iCalendar 2.0, and jCal (RFC 7265) on request. */
export const supportedCalendarData: PropertyDef = {
  name: caldav('supported-calendar-data'),
  allprop: false,
  appliesTo: isCalendar,
  get: () => [
    el(caldav('calendar-data'), { 'content-type': 'text/calendar', version: '2.0' }),
    el(caldav('calendar-data'), { 'content-type': 'application/calendar+json', version: '2.0' }),
  ],
};
