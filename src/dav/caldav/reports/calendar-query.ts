import type { CompFilter } from '../../../domain/calendar/filter.js';
import { calendarFilter } from '../../../domain/calendar/query.js';
import type { ObjectFilter } from '../../../domain/object-filter.js';
import type { ObjectRendering } from '../../core/object-report.js';
import { IcalError } from '../../../formats/ical/errors.js';
import type { IcalTimezone } from '../../../formats/ical/ical.js';
import { timezoneFromCalendar } from '../../../formats/ical/time.js';
import { parentPath } from '../../../store/paths.js';
import { firstChild, textOf, type XmlElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { listedPrefilter } from '../../core/members.js';
import { cacheableProps } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { depthOf, type Depth } from '../../core/request.js';
import { collectionTimezone, isCalendar, isCalendarObject } from '../calendar-collection.js';
import { parseFilter } from './filter-xml.js';
import { queryResponses, runObjectQuery, runQuery } from '../../core/object-query.js';
import { homeResponses, isHomeIn } from '../../core/home-collections.js';
import { multistatus } from '../../core/multistatus.js';
import type { Resource } from '../../../store/types.js';
import { calendarRendering, parseCalendarReportProps, type CalendarReportProps } from './calendar-report-props.js';

export interface CalendarQueryRequest {
  readonly props: CalendarReportProps;
  readonly filter: CompFilter;
  /** CALDAV:timezone (§9.8): the zone for floating times, overriding the calendar's. */
  readonly timezone: IcalTimezone | null;
  readonly depth: Depth;
}

/** The zone of a CALDAV:timezone element (§9.8), refused as CALDAV:valid-calendar-data. */
function requestTimezone(root: XmlElement): IcalTimezone | null {
  const tz = firstChild(root, caldav('timezone'));
  if (!tz) return null;
  try {
    return timezoneFromCalendar(textOf(tz));
  } catch (err) {
    if (err instanceof IcalError)
      throw DavError.condition('caldav:valid-calendar-data', `CALDAV:timezone: ${err.message}`);
    throw err;
  }
}

/** The request's filter on a calendar, its candidates from the calendar's kept listing when there is one (members.ts). */
function filterOn(
  ctx: DavContext,
  calendar: Resource,
  req: CalendarQueryRequest,
  floating: IcalTimezone | null,
): ObjectFilter {
  const { objects, listings } = ctx.settings.caches;
  return calendarFilter(req.filter, floating, objects, listedPrefilter(listings, calendar));
}

/** What a response renders of each match (calendar-data as asked, with the object cache). */
function renderingOf(ctx: DavContext, req: CalendarQueryRequest, floating: IcalTimezone | null): ObjectRendering {
  return calendarRendering(req.props, floating, ctx.settings.caches.objects);
}

/**
 * §7.8 on a calendar home: Depth 0 is the home alone (no calendar object, so nothing); Depth 1
 * or infinity searches every calendar in it the user may read, each with its own
 * calendar-timezone for floating times unless the request names one.
 */
async function queryHome(ctx: DavContext, home: Resource, req: CalendarQueryRequest): Promise<DavResponse> {
  if (req.depth === '0') return multistatus([]);
  return homeResponses(ctx, home, isCalendar, async (calendar) => {
    const floating = req.timezone ?? (await collectionTimezone(ctx, calendar));
    return queryResponses(ctx, calendar, filterOn(ctx, calendar, req, floating), renderingOf(ctx, req, floating));
  });
}

/** RFC 4791 §7.8: calendar objects matching a filter, with the properties asked for. */
export const calendarQuery: ReportDef<CalendarQueryRequest> = {
  name: caldav('calendar-query'),
  appliesTo: (r) => isCalendar(r) || isCalendarObject(r) || isHomeIn('/calendars', r),
  cacheable: (ctx, _r, req) => cacheableProps(ctx.registry, req.props.props),
  parse(root: XmlElement, ctx: DavContext): CalendarQueryRequest {
    return {
      props: parseCalendarReportProps(root),
      filter: parseFilter(firstChild(root, caldav('filter'))),
      timezone: requestTimezone(root),
      depth: depthOf(ctx, '1'),
    };
  },
  async run(ctx, r, req) {
    const stored = r.stored;
    if (!stored) throw DavError.notFound();
    if (isHomeIn('/calendars', r)) return queryHome(ctx, stored, req);
    if (isCalendar(r)) {
      // A query on a calendar can only mean its members. Evolution lists a calendar with
      // Depth: 0 (ecb_caldav_list_existing_sync), Outlook clients too (sabre/dav special-cases
      // "MSFT-"); answering them with nothing would empty their calendars, so Depth is not
      // read here. On an object resource the query tests that object (RFC 4791 §7.8).
      void req.depth;
      const floating = req.timezone ?? (await collectionTimezone(ctx, stored));
      return runQuery(ctx, stored, filterOn(ctx, stored, req, floating), renderingOf(ctx, req, floating));
    }
    const parent = await ctx.store.getResource(parentPath(stored.path));
    const floating = req.timezone ?? (parent ? await collectionTimezone(ctx, parent) : null);
    return runObjectQuery(
      ctx,
      stored,
      calendarFilter(req.filter, floating, ctx.settings.caches.objects),
      renderingOf(ctx, req, floating),
    );
  },
};
