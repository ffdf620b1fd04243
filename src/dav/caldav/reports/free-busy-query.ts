import { busyTimeOf } from '../../../domain/calendar/busy-time.js';
import { freeBusyCalendar } from '../../../formats/ical/freebusy.js';
import { firstChild, type XmlElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { listedPrefilter } from '../../core/members.js';
import type { ReportDef } from '../../core/registry.js';
import { collectionTimezone, isCalendar } from '../calendar-collection.js';
import { parseTimeRange } from './calendar-data-request.js';

export interface FreeBusyRequest {
  readonly start: number;
  readonly end: number;
}

/**
 * RFC 4791 §7.10: the busy time of a calendar over a range as one VFREEBUSY (text/calendar),
 * from events (TRANSP and STATUS honoured) and stored VFREEBUSY components.
 */
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
    const floating = await collectionTimezone(ctx, coll);
    const periods = await busyTimeOf(ctx.store, coll.id, req, floating, ctx.settings.caches.objects, {
      prefilter: listedPrefilter(ctx.settings.caches.listings, coll),
    });
    return {
      status: 200,
      headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
      body: freeBusyCalendar(req, periods, ctx.now),
    };
  },
};
