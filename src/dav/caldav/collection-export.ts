import { JCAL_TYPE, toJcal } from '../../formats/ical/calendar-data.js';
import { mergeCalendars } from '../../formats/ical/merge.js';
import { decodeCalendarText, parseCalendar } from '../../formats/ical/parse.js';
import type { IcalComponent } from '../../formats/ical/ical.js';
import { header, type DavContext, type DavResponse } from '../core/context.js';
import { DavError } from '../core/errors.js';
import { etagOf, type DavResource } from '../core/resource.js';
import { perUserView } from '../core/per-user-view.js';

/**
 * GET on a calendar collection: the whole calendar as one iCalendar stream (text/calendar), or
 * as jCal (RFC 7265) when the client accepts application/calendar+json and not text/calendar.
 */
export async function exportCalendar(ctx: DavContext, r: DavResource): Promise<DavResponse> {
  const coll = r.stored;
  if (!coll) throw DavError.notFound();
  const roots: IcalComponent[] = [];
  const members = (await ctx.store.listChildren(coll.id)).filter((m) => !m.isCollection);
  // A sharee exports their own alarms and transparency (caldav-sharing §5.5.4).
  const view = await perUserView(ctx, coll);
  await view?.load(members.map((m) => m.id));
  for (const m of members) {
    try {
      const body = await ctx.store.readBody(m.id);
      roots.push(parseCalendar(view ? view.text(m.id, decodeCalendarText(body)) : body));
    } catch {
      // not iCalendar (written before the collection became a calendar): not part of the export
    }
  }
  const name = coll.path.slice(coll.path.lastIndexOf('/') + 1);
  const accept = header(ctx, 'accept') ?? '';
  if (accept.includes(JCAL_TYPE) && !accept.includes('text/calendar')) {
    return {
      status: 200,
      headers: { 'Content-Type': `${JCAL_TYPE}; charset=utf-8`, ETag: etagOf(r) ?? '' },
      body: toJcal(mergeCalendars(roots)),
    };
  }
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.ics"`,
      ETag: etagOf(r) ?? '',
    },
    body: mergeCalendars(roots),
  };
}
