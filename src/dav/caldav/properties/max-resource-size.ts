import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar, maxResourceSize } from '../calendar-collection.js';

/** RFC 4791 §5.2.5: protected; the largest calendar object PUT accepts. */
export const maxResourceSizeProperty: PropertyDef = {
  name: caldav('max-resource-size'),
  allprop: false,
  appliesTo: isCalendar,
  get: (ctx) => [String(maxResourceSize(ctx))],
};
