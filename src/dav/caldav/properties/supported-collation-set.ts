import { COLLATIONS } from '../../../domain/calendar/filter.js';
import { el } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar } from '../calendar-collection.js';

/** RFC 4791 §7.5.1. */
export const supportedCollationSet: PropertyDef = {
  name: caldav('supported-collation-set'),
  allprop: false,
  appliesTo: isCalendar,
  get: () => COLLATIONS.map((c) => el(caldav('supported-collation'), {}, c)),
};
