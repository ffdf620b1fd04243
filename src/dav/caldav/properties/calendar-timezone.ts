import { IcalError } from '../../../formats/ical/errors.js';
import { timezoneFromCalendar } from '../../../formats/ical/time.js';
import { textOf } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar } from '../calendar-collection.js';

/**
 * RFC 4791 §5.2.2: the zone floating times are read in. A value must be an iCalendar object
 * holding exactly one VTIMEZONE (CALDAV:valid-calendar-data otherwise).
 */
export const calendarTimezone: PropertyDef = {
  name: caldav('calendar-timezone'),
  allprop: false,
  appliesTo: isCalendar,
  get: () => undefined,
  validate: (_ctx, _r, value) => {
    try {
      timezoneFromCalendar(textOf(value));
    } catch (err) {
      if (err instanceof IcalError) throw DavError.condition('caldav:valid-calendar-data', err.message);
      throw err;
    }
  },
};
