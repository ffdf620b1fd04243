import { runSliced } from '../../../domain/cooperative.js';
import type { ObjectCache } from '../../../domain/calendar/object-cache.js';
import { isRanged, needsTransform, JCAL_TYPE, type CalendarDataRequest } from '../../../formats/ical/calendar-data.js';
import type { IcalTimezone } from '../../../formats/ical/ical.js';
import { zoneKey } from '../../../formats/ical/zone-offsets.js';
import type { XmlElement } from '../../../xml/element.js';
import { el } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import {
  parseObjectProps,
  type ObjectData,
  type ObjectPropRequest,
  type ObjectRendering,
} from '../../core/object-report.js';
import { parseCalendarDataRequest } from './calendar-data-request.js';
import { storedExpansions } from '../../../domain/calendar/expanded-text.js';

/** What a calendaring report returns per object: DAV properties, and calendar-data as asked (RFC 4791 §9.6). */
export type CalendarReportProps = ObjectPropRequest<CalendarDataRequest>;

/** Parse the DAV:prop / DAV:allprop / DAV:propname of a calendaring report (RFC 4791 §7.8, §7.9). */
export function parseCalendarReportProps(root: XmlElement): CalendarReportProps {
  return parseObjectProps(root, caldav('calendar-data'), parseCalendarDataRequest);
}

/**
 * CALDAV:calendar-data as one request asks for it (§9.6: partial, expand, limit-recurrence-set,
 * jCal), floating times read in `floating`. An expand may walk many instances: it is rendered in
 * slices that share the event loop.
 */
function calendarDataProperty(
  cd: CalendarDataRequest,
  floating: IcalTimezone | null,
  objects: ObjectCache,
): ObjectData {
  const attrs: Record<string, string> =
    cd.contentType === JCAL_TYPE ? { 'content-type': JCAL_TYPE, version: '2.0' } : {};
  // The members' expansions read from the store (prepare), by id: their bodies are not read.
  const stored = new Map<number, string>();
  return {
    name: caldav('calendar-data'),
    shape: `${JSON.stringify(cd)}|${zoneKey(floating)}`,
    ranged: isRanged(cd),
    // A transform renders from the parsed object: when it is kept, so is its text.
    keptText: needsTransform(cd) ? (m) => (stored.has(m.id) ? '' : objects.keptText(m)) : undefined,
    prepare: cd.expand
      ? async (store, members) => {
          for (const [id, text] of await storedExpansions(store, members, cd)) stored.set(id, text);
        }
      : undefined,
    render: (m, text) => {
      if (!needsTransform(cd)) return el(caldav('calendar-data'), attrs, text);
      const expanded = stored.get(m.id);
      if (expanded !== undefined) return el(caldav('calendar-data'), attrs, expanded);
      const data = runSliced(objects.renderWork(m, text, cd, floating));
      const element = (d: string): XmlElement => el(caldav('calendar-data'), attrs, d);
      return data instanceof Promise ? data.then(element) : element(data);
    },
  };
}

/** How a calendaring report renders each object. */
export function calendarRendering(
  req: CalendarReportProps,
  floating: IcalTimezone | null,
  objects: ObjectCache,
): ObjectRendering {
  return {
    label: 'caldav',
    props: req.props,
    data: req.data ? calendarDataProperty(req.data, floating, objects) : null,
  };
}
