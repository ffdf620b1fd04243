import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar, MAX_DATE_TIME, MAX_INSTANCES, MIN_DATE_TIME } from '../calendar-collection.js';

const limit = (local: string, value: () => string): PropertyDef => ({
  name: caldav(local),
  allprop: false,
  appliesTo: isCalendar,
  get: () => [value()],
});

/** RFC 4791 §5.2.6–§5.2.8: the date and instance limits PUT enforces (max-resource-size.ts has the size). */
export const minDateTime = limit('min-date-time', () => MIN_DATE_TIME);
export const maxDateTime = limit('max-date-time', () => MAX_DATE_TIME);
export const maxInstances = limit('max-instances', () => String(MAX_INSTANCES));
