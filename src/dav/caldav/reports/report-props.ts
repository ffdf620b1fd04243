import { runSliced } from '../../../domain/cooperative.js';
import { cachedRenderWork, zoneKey } from '../../../domain/calendar/object-cache.js';
import { reportFragments, type ReportFragments } from '../../core/report-fragments.js';
import { needsTransform, JCAL_TYPE, type CalendarDataRequest } from '../../../formats/ical/calendar-data.js';
import type { IcalTimezone } from '../../../formats/ical/ical.js';
import type { Resource } from '../../../store/types.js';
import { el, firstChild, isElement, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import { propstat, responseWithPropstats } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { propNames, propstatsFor, type PropRequest } from '../../core/properties.js';
import { storedResource } from '../../core/resource.js';
import { parseCalendarDataRequest } from './calendar-data-request.js';

/** What a calendaring report returns per object: DAV properties, and calendar-data as asked. */
export interface ReportProps {
  readonly props: PropRequest;
  /** The CALDAV:calendar-data request, when calendar-data is among the properties. */
  readonly calendarData: CalendarDataRequest | null;
}

/** Parse the DAV:prop / DAV:allprop / DAV:propname of a calendaring report (RFC 4791 §7.8, §7.9). */
export function parseReportProps(root: XmlElement): ReportProps {
  if (firstChild(root, dav('propname'))) return { props: { kind: 'propname' }, calendarData: null };
  if (firstChild(root, dav('allprop'))) return { props: { kind: 'allprop', include: [] }, calendarData: null };
  const prop = firstChild(root, dav('prop'));
  if (!prop) return { props: { kind: 'prop', names: [dav('getetag')] }, calendarData: null };
  const cd = prop.children.filter(isElement).find((c) => c.name === caldav('calendar-data'));
  return {
    props: { kind: 'prop', names: propNames(prop).filter((n) => n !== caldav('calendar-data')) },
    calendarData: cd ? parseCalendarDataRequest(cd) : null,
  };
}

function withCalendarData(propstats: XmlElement[], value: XmlElement): XmlElement[] {
  const ok = propstats.findIndex((ps) => ps.children.some((c) => isElement(c) && c.name === dav('status') && / 200 /.test(String(c.children[0]))));
  if (ok < 0) return [propstat(200, [value]), ...propstats];
  return propstats.map((ps, i) => {
    if (i !== ok) return ps;
    const [prop, ...rest] = ps.children as XmlElement[];
    if (!prop) return ps;
    return { ...ps, children: [{ ...prop, children: [...prop.children, value] as XmlNode[] }, ...rest] };
  });
}

/**
 * The member fragments a calendaring report may reuse (dav/core/member-fragments.ts): the
 * rendering reads the properties and calendar-data request and the floating time zone.
 */
export function calendarFragments(ctx: DavContext, req: ReportProps, floating: IcalTimezone | null): ReportFragments | null {
  return reportFragments(ctx.settings.memberFragments, ctx.user.id, req.props,
    ['caldav', JSON.stringify(req.calendarData), zoneKey(floating)]);
}

/** One DAV:response for a calendar object, with calendar-data rendered from `text`. */
export async function objectResponse(
  ctx: DavContext, resource: Resource, text: string, req: ReportProps, floating: IcalTimezone | null,
): Promise<XmlElement> {
  const r = storedResource(resource);
  let propstats = await propstatsFor(ctx, r, req.props);
  if (req.calendarData) {
    const cd = req.calendarData;
    const attrs: Record<string, string> = cd.contentType === JCAL_TYPE ? { 'content-type': JCAL_TYPE, version: '2.0' } : {};
    // An expand may walk many instances: rendered in slices that share the event loop.
    const data = needsTransform(cd) ? await runSliced(cachedRenderWork(resource, text, cd, floating)) : text;
    propstats = withCalendarData(propstats, el(caldav('calendar-data'), attrs, data));
  }
  return responseWithPropstats(hrefOf(resource.path, false), propstats);
}
