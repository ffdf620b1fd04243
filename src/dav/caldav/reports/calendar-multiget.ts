import { elements, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithStatus } from '../../core/multistatus.js';
import { storePathOfUri } from '../../core/paths.js';
import { cacheableProps } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { storedResource } from '../../core/resource.js';
import { collectionTimezone, isCalendar, isCalendarObject } from '../calendar-collection.js';
import { calendarFragments, objectResponse, parseReportProps, type ReportProps } from './report-props.js';
import { parentPath } from '../../../store/paths.js';

export interface CalendarMultigetRequest {
  readonly props: ReportProps;
  /** The hrefs as sent (echoed back) with their store paths. */
  readonly hrefs: readonly { readonly href: string; readonly path: string | null }[];
}

function pathOf(href: string): string | null {
  try {
    return storePathOfUri(href);
  } catch {
    return null;
  }
}

const decoder = new TextDecoder();

/** RFC 4791 §7.9: the named calendar objects, fetched in one query. */
export const calendarMultiget: ReportDef<CalendarMultigetRequest> = {
  name: caldav('calendar-multiget'),
  appliesTo: (r) => isCalendar(r) || isCalendarObject(r),
  // Hrefs outside the collection are 404 whatever the state: only its members are read.
  cacheable: (_r, req) => cacheableProps(req.props.props),
  parse(root: XmlElement, _ctx: DavContext): CalendarMultigetRequest {
    const hrefs = elements(root, dav('href')).map((h) => textOf(h).trim());
    if (hrefs.length === 0) throw DavError.badRequest('calendar-multiget needs at least one DAV:href');
    return { props: parseReportProps(root), hrefs: hrefs.map((href) => ({ href, path: pathOf(href) })) };
  },
  async run(ctx, r, req) {
    const target = r.stored;
    if (!target) throw DavError.notFound();
    const inScope = (p: string): boolean => (target.isCollection ? parentPath(p) === target.path : p === target.path);
    const wanted = req.hrefs.map((h) => h.path).filter((p): p is string => p !== null && inScope(p));
    const found = new Map((await ctx.store.getResourcesByPaths(wanted)).map((x) => [x.path, x]));
    const coll = target.isCollection ? target : await ctx.store.getResource(parentPath(target.path));
    const floating = coll && req.props.calendarData ? await collectionTimezone(ctx.store, coll) : null;
    // Members rendered before for this shape need neither their body nor their propstats.
    const fragments = calendarFragments(ctx, req.props, floating);
    const rendered = new Map<number, XmlNode>();
    const objects = [...found.values()].filter((m) => isCalendarObject(storedResource(m)));
    for (const m of fragments ? objects : []) {
      const f = fragments!.lookup(m);
      if (f) rendered.set(m.id, f);
    }
    const bodies = req.props.calendarData
      ? await ctx.store.readBodies(objects.filter((m) => !rendered.has(m.id)).map((m) => m.id))
      : null;
    const responses = async function* (): AsyncGenerator<XmlNode> {
      for (const { href, path } of req.hrefs) {
        const m = path === null ? undefined : found.get(path);
        if (!m || !isCalendarObject(storedResource(m))) {
          yield responseWithStatus(href, 404);
          continue;
        }
        const done = rendered.get(m.id);
        if (done) {
          yield done;
          continue;
        }
        const body = bodies?.get(m.id);
        if (bodies && body === undefined) {
          yield responseWithStatus(href, 404); // deleted since it was looked up
          continue;
        }
        const response = await objectResponse(ctx, m, body ? decoder.decode(body) : '', req.props, floating);
        yield fragments ? fragments.keep(m, response) : response;
      }
    };
    return multistatus(responses());
  },
};
