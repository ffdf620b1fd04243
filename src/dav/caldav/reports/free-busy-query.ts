import type { CompFilter } from '../../../domain/calendar/filter.js';
import { queryCalendar } from '../../../domain/calendar/query.js';
import { busyPeriodsWork, freeBusyCalendar, type BusyPeriod } from '../../../formats/ical/freebusy.js';
import { runSliced } from '../../../domain/cooperative.js';
import { ExpansionLimitError } from '../../../formats/ical/errors.js';
import { firstChild, type XmlElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { ReportDef } from '../../core/registry.js';
import { collectionTimezone, isCalendar } from '../calendar-collection.js';
import { parseTimeRange } from './calendar-data-request.js';

export interface FreeBusyRequest {
  readonly start: number;
  readonly end: number;
}

function componentInRange(name: string, req: FreeBusyRequest): CompFilter {
  const range = { start: req.start, end: req.end };
  return {
    name: 'VCALENDAR',
    isNotDefined: false,
    timeRange: null,
    propFilters: [],
    compFilters: [{ name, isNotDefined: false, timeRange: range, propFilters: [], compFilters: [] }],
  };
}

/**
 * RFC 4791 §7.10: the busy time of a calendar over a range as one VFREEBUSY (text/calendar),
 * from events (TRANSP and STATUS honoured) and stored VFREEBUSY components.
 */
/** Most busy periods one answer collects before merging them (a year of a 5-minute series is 105,120). */
const MAX_BUSY_PERIODS = 200_000;

export const freeBusyQuery: ReportDef<FreeBusyRequest> = {
  name: caldav('free-busy-query'),
  appliesTo: isCalendar,
  privilege: 'read-free-busy',
  parse(root: XmlElement): FreeBusyRequest {
    const tr = firstChild(root, caldav('time-range'));
    if (!tr) throw DavError.badRequest('free-busy-query needs a CALDAV:time-range');
    const range = parseTimeRange(tr, true);
    return { start: range.start as number, end: range.end as number };
  },
  async run(ctx, r, req) {
    const coll = r.stored;
    if (!coll) throw DavError.notFound();
    const floating = await collectionTimezone(ctx.store, coll);
    const periods: BusyPeriod[] = [];
    for (const name of ['VEVENT', 'VFREEBUSY']) {
      for (const m of await queryCalendar(
        ctx.store,
        coll.id,
        componentInRange(name, req),
        floating,
        ctx.settings.caches.objects,
      )) {
        const root = ctx.settings.caches.objects.tree(m.resource, m.text);
        if (!root) continue;
        // Many instances: walked in slices that share the event loop; no spread (it may be long).
        for (const p of await runSliced(busyPeriodsWork(root, req, floating))) periods.push(p);
        if (periods.length > MAX_BUSY_PERIODS)
          throw new ExpansionLimitError(`more than ${MAX_BUSY_PERIODS} busy periods in the requested range`);
      }
    }
    return {
      status: 200,
      headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
      body: freeBusyCalendar(req, periods, ctx.now),
    };
  },
};
