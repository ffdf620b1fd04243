import type { CompFilter } from '../../../domain/calendar/filter.js';
import { objectMatches, queryCalendarHits } from '../../../domain/calendar/query.js';
import type { Resource } from '../../../store/types.js';
import { IcalError } from '../../../formats/ical/errors.js';
import type { IcalTimezone } from '../../../formats/ical/ical.js';
import { timezoneFromCalendar } from '../../../formats/ical/time.js';
import { parentPath } from '../../../store/paths.js';
import { firstChild, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus } from '../../core/multistatus.js';
import { cacheableProps } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { depthOf, type Depth } from '../../core/request.js';
import { collectionTimezone, isCalendar, isCalendarObject } from '../calendar-collection.js';
import { parseFilter } from './filter-xml.js';
import { objectFragments, renderedObject } from '../../core/object-report.js';
import { hrefOf } from '../../core/paths.js';
import { calendarRendering, parseCalendarReportProps, type CalendarReportProps } from './calendar-report-props.js';

export interface CalendarQueryRequest {
  readonly props: CalendarReportProps;
  readonly filter: CompFilter;
  /** CALDAV:timezone (§9.8): the zone for floating times, overriding the calendar's. */
  readonly timezone: IcalTimezone | null;
  readonly depth: Depth;
}

/** The zone of a CALDAV:timezone element (§9.8), refused as CALDAV:valid-calendar-data. */
export function requestTimezone(root: XmlElement): IcalTimezone | null {
  const tz = firstChild(root, caldav('timezone'));
  if (!tz) return null;
  try {
    return timezoneFromCalendar(textOf(tz));
  } catch (err) {
    if (err instanceof IcalError) throw DavError.condition('caldav:valid-calendar-data', `CALDAV:timezone: ${err.message}`);
    throw err;
  }
}

/** RFC 4791 §7.8: calendar objects matching a filter, with the properties asked for. */
export const calendarQuery: ReportDef<CalendarQueryRequest> = {
  name: caldav('calendar-query'),
  appliesTo: (r) => isCalendar(r) || isCalendarObject(r),
  cacheable: (_r, req) => cacheableProps(req.props.props),
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
    if (isCalendar(r)) {
      // A query on a calendar can only mean its members. Evolution lists a calendar with
      // Depth: 0 (ecb_caldav_list_existing_sync), Outlook clients too (sabre/dav special-cases
      // "MSFT-"); answering them with nothing would empty their calendars, so Depth is not
      // read here. On an object resource the query tests that object (RFC 4791 §7.8).
      void req.depth;
      const floating = req.timezone ?? await collectionTimezone(ctx.store, stored);
      // Matches rendered before for this shape need neither their body nor their propstats.
      const how = calendarRendering(req.props, floating);
      const fragments = objectFragments(ctx, how);
      const rendered = new Map<number, XmlNode>();
      const skipText = (m: Resource): boolean => {
        const f = fragments?.lookup(m);
        if (f) rendered.set(m.id, f);
        return f !== undefined;
      };
      const matches = await queryCalendarHits(ctx.store, stored.id, req.filter, floating, skipText);
      const responses = async function* (): AsyncGenerator<XmlNode> {
        for (const m of matches) {
          // Skipped texts were rendered before; a match the evaluator had to read may be too.
          const done = m.text === null ? rendered.get(m.resource.id) : fragments?.lookup(m.resource);
          if (done) {
            yield done;
            continue;
          }
          if (m.text === null) throw new Error(`calendar-query: no text and no rendered response for ${m.resource.path}`);
          yield await renderedObject(ctx, m.resource, hrefOf(m.resource.path, false), m.text, how, fragments);
        }
      };
      return multistatus(responses());
    }
    const parent = await ctx.store.getResource(parentPath(stored.path));
    const floating = req.timezone ?? (parent ? await collectionTimezone(ctx.store, parent) : null);
    const match = await objectMatches(ctx.store, stored, req.filter, floating);
    const how = calendarRendering(req.props, floating);
    return multistatus(match ? [await renderedObject(ctx, match.resource, hrefOf(match.resource.path, false), match.text, how, null)] : []);
  },
};
