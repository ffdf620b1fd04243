import type { XmlElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multigetCacheable, parseMultiget, runMultiget, type MultigetRequest } from '../../core/object-multiget.js';
import type { ReportDef } from '../../core/registry.js';
import { isHomeIn } from '../../core/home-collections.js';
import { storedResource } from '../../core/resource.js';
import { parentPath } from '../../../store/paths.js';
import type { CalendarDataRequest } from '../../../formats/ical/calendar-data.js';
import { collectionTimezone, isCalendar, isCalendarObject } from '../calendar-collection.js';
import { calendarRendering, parseCalendarReportProps } from './calendar-report-props.js';

export type CalendarMultigetRequest = MultigetRequest<CalendarDataRequest>;

/** RFC 4791 §7.9: the named calendar objects, fetched in one query (dav/core/object-multiget.ts). */
export const calendarMultiget: ReportDef<CalendarMultigetRequest> = {
  name: caldav('calendar-multiget'),
  // §7.9: on any collection, hrefs at any depth in it: a calendar, or the home (several calendars).
  appliesTo: (r) => isCalendar(r) || isCalendarObject(r) || isHomeIn('/calendars', r),
  cacheable: multigetCacheable,
  parse: (root: XmlElement, _ctx: DavContext) => parseMultiget(root, 'calendar-multiget', parseCalendarReportProps),
  async run(ctx, r, req) {
    const target = r.stored;
    if (!target) throw DavError.notFound();
    const coll = target.isCollection ? target : await ctx.store.getResource(parentPath(target.path));
    // On the home the objects are in several calendars: floating times stay as they are.
    const floating =
      coll && isCalendar(storedResource(coll)) && req.props.data ? await collectionTimezone(ctx, coll) : null;
    return runMultiget(
      ctx,
      r,
      req,
      isCalendarObject,
      calendarRendering(req.props, floating, ctx.settings.caches.objects),
    );
  },
};
