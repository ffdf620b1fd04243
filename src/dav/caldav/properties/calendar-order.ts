import { textOf } from '../../../xml/element.js';
import { appleIcal } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar } from '../calendar-collection.js';

/** Apple's calendar sort order: an integer. */
export const calendarOrder: PropertyDef = {
  name: appleIcal('calendar-order'),
  allprop: false,
  appliesTo: isCalendar,
  get: () => undefined,
  validate: (_ctx, _r, value) => {
    if (!/^-?\d{1,9}$/.test(textOf(value).trim())) throw new DavError(409, 'calendar-order must be an integer');
  },
};
