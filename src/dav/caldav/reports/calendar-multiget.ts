import { elements, textOf, type XmlElement } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithStatus } from '../../core/multistatus.js';
import { storePathOfUri } from '../../core/paths.js';
import { cacheableProps } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { storedResource } from '../../core/resource.js';
import { collectionTimezone, isCalendar, isCalendarObject } from '../calendar-collection.js';
import { objectResponse, parseReportProps, type ReportProps } from './report-props.js';
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
    const bodies = req.props.calendarData
      ? await ctx.store.readBodies([...found.values()].filter((m) => isCalendarObject(storedResource(m))).map((m) => m.id))
      : null;
    const responses = async function* (): AsyncGenerator<XmlElement> {
      for (const { href, path } of req.hrefs) {
        const m = path === null ? undefined : found.get(path);
        const body = m ? bodies?.get(m.id) : undefined;
        if (!m || !isCalendarObject(storedResource(m)) || (bodies && body === undefined)) {
          yield responseWithStatus(href, 404);
          continue;
        }
        yield await objectResponse(ctx, m, body ? decoder.decode(body) : '', req.props, floating);
      }
    };
    return multistatus(responses());
  },
};
