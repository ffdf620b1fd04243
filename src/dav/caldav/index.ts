import { caldav } from '../../xml/names.js';
import type { Registry } from '../core/registry.js';
import { exportCalendar } from './collection-export.js';
import { mkcalendarMethod } from './methods/mkcalendar.js';
import { calendarObjectType } from './object-type.js';
import { calendarColor } from './properties/calendar-color.js';
import { calendarData } from './properties/calendar-data.js';
import { calendarDescription } from './properties/calendar-description.js';
import { calendarHomeSet } from './properties/calendar-home-set.js';
import { calendarOrder } from './properties/calendar-order.js';
import { calendarTimezone } from './properties/calendar-timezone.js';
import { calendarUserAddressSet } from './properties/calendar-user-address-set.js';
import { calendarUserType } from './properties/calendar-user-type.js';
import { maxDateTime, maxInstances, minDateTime } from './properties/limits.js';
import { maxResourceSizeProperty } from './properties/max-resource-size.js';
import { scheduleCalendarTransp } from './properties/schedule-calendar-transp.js';
import { supportedCalendarComponentSet } from './properties/supported-calendar-component-set.js';
import { supportedCalendarData } from './properties/supported-calendar-data.js';
import { supportedCollationSet } from './properties/supported-collation-set.js';
import { calendarMultiget } from './reports/calendar-multiget.js';
import { calendarQuery } from './reports/calendar-query.js';
import { expandProperty } from './reports/expand-property.js';
import { expansionBounded } from './reports/expansion-limits.js';
import { freeBusyQuery } from './reports/free-busy-query.js';

/** RFC 4791 CalDAV (and its companions): everything it adds, listed once. */
export function registerCaldav(registry: Registry): void {
  registry.compliance.push('calendar-access');
  registry.collectionType({
    name: 'calendar',
    resourceType: [caldav('calendar')],
    objects: calendarObjectType,
    exportCollection: exportCalendar,
  });
  registry.method(mkcalendarMethod);
  for (const p of [
    calendarHomeSet,
    calendarUserAddressSet,
    calendarUserType,
    calendarDescription,
    calendarTimezone,
    supportedCalendarComponentSet,
    supportedCalendarData,
    maxResourceSizeProperty,
    minDateTime,
    maxDateTime,
    maxInstances,
    supportedCollationSet,
    scheduleCalendarTransp,
    calendarColor,
    calendarOrder,
    calendarData,
  ])
    registry.property(p);
  // Recurrence and time-zone expansion bounds fail the one report that reached them (507).
  registry.report(expansionBounded(calendarQuery));
  registry.report(expansionBounded(calendarMultiget));
  registry.report(expansionBounded(freeBusyQuery));
  // RFC 3253 §3.8: what CalDAV clients use to read principals (the RFC 3744 §9 reports are acl/'s).
  registry.report(expandProperty);
}
