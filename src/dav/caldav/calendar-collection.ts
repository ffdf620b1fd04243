import type { IcalTimezone } from '../../formats/ical/ical.js';
import { floatingZoneOf, MAX_RESOURCE_SIZE } from '../../domain/calendar/settings.js';
import type { Resource } from '../../store/types.js';
import type { DavContext } from '../core/context.js';
import type { DavResource } from '../core/resource.js';

// The settings and limits are domain rules (SyncML and `almanac import` meet them too).
export { MAX_DATE_TIME, MAX_INSTANCES, MIN_DATE_TIME, SUPPORTED_COMPONENTS } from '../../domain/calendar/settings.js';

export const isCalendar = (r: DavResource): boolean =>
  r.stored?.isCollection === true && r.stored.collectionType === 'calendar';

/** A calendar object resource: an iCalendar member of a calendar collection. */
export const isCalendarObject = (r: DavResource): boolean =>
  r.stored !== null && !r.stored.isCollection && /^text\/calendar/i.test(r.stored.contentType ?? '');

export function maxResourceSize(ctx: DavContext): number {
  return Math.min(MAX_RESOURCE_SIZE, ctx.settings.maxUploadBytes);
}

/** A calendar's floating-time zone (RFC 4791 §5.2.2), or null (floating read as UTC), for a report. */
export function collectionTimezone(ctx: DavContext, coll: Resource): Promise<IcalTimezone | null> {
  return floatingZoneOf(ctx.store, coll, ctx.settings.caches.floatingZones);
}
