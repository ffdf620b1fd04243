import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCalendar, MAX_DATE_TIME, MAX_INSTANCES, maxResourceSize, MIN_DATE_TIME } from '../calendar-collection.js';

const limit = (local: string, value: (ctx: Parameters<PropertyDef['get']>[0]) => string): PropertyDef => ({
  name: caldav(local),
  allprop: false,
  appliesTo: isCalendar,
  get: (ctx) => [value(ctx)],
});

/** RFC 4791 §5.2.5–§5.2.8: the limits PUT enforces (CALDAV:max-resource-size, min/max-date-time, max-instances). */
export const maxResourceSizeProperty = limit('max-resource-size', (ctx) => String(maxResourceSize(ctx)));
export const minDateTime = limit('min-date-time', () => MIN_DATE_TIME);
export const maxDateTime = limit('max-date-time', () => MAX_DATE_TIME);
export const maxInstances = limit('max-instances', () => String(MAX_INSTANCES));
