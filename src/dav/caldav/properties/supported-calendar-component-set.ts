import { el, isElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar, SUPPORTED_COMPONENTS } from '../calendar-collection.js';

/**
 * RFC 4791 §5.2.3: which component types the calendar takes. Set when the calendar is made
 * (MKCALENDAR, extended MKCOL), protected afterwards; VEVENT and VTODO by default.
 */
export const supportedCalendarComponentSet: PropertyDef = {
  name: caldav('supported-calendar-component-set'),
  allprop: false,
  initOnly: true,
  appliesTo: isCalendar,
  get: () => SUPPORTED_COMPONENTS.map((name) => el(caldav('comp'), { name })),
  validate: (_ctx, _r, value) => {
    const comps = value.children.filter(isElement);
    if (comps.length === 0) throw new DavError(409, 'supported-calendar-component-set names no component');
    for (const c of comps) {
      const name = (c.attrs['{}name'] ?? '').toUpperCase();
      if (c.name !== caldav('comp') || !(SUPPORTED_COMPONENTS as readonly string[]).includes(name)) {
        throw DavError.condition('caldav:supported-calendar-component', `component ${name || c.name} is not supported`);
      }
    }
  },
};
