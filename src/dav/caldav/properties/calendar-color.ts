import { textOf } from '../../../xml/element.js';
import { appleIcal } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar } from '../calendar-collection.js';

/** Apple's calendar colour: `#RRGGBB` or `#RRGGBBAA` (iOS, macOS, DAVx5, Thunderbird write it). */
export const calendarColor: PropertyDef = {
  name: appleIcal('calendar-color'),
  allprop: false,
  appliesTo: isCalendar,
  get: () => undefined,
  validate: (_ctx, _r, value) => {
    if (!/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(textOf(value).trim()))
      throw new DavError(409, 'calendar-color must be #RRGGBB or #RRGGBBAA');
  },
};
