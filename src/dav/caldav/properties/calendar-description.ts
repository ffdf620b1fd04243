import { isElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar } from '../calendar-collection.js';

/** RFC 4791 §5.2.1: human-readable text (xml:lang allowed); unset = not defined. */
export const calendarDescription: PropertyDef = {
  name: caldav('calendar-description'),
  allprop: false,
  appliesTo: isCalendar,
  get: () => undefined,
  validate: (_ctx, _r, value) => {
    if (value.children.some(isElement)) throw new DavError(409, 'calendar-description is text');
  },
};
