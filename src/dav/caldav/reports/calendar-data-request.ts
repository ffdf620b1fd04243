import {
  ICALENDAR_TYPE,
  JCAL_TYPE,
  type CalendarDataRequest,
  type CompSelector,
} from '../../../formats/ical/calendar-data.js';
import type { TimeRange } from '../../../formats/ical/time-range.js';
import { parseUtcDateTime } from '../../../formats/ical/time.js';
import { elements, firstChild, type XmlElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';

const attr = (e: XmlElement, name: string): string | undefined => e.attrs[`{}${name}`];

/** A CALDAV:time-range (§9.9): UTC date-times, at least one end, end after start. */
export function parseTimeRange(e: XmlElement, bothRequired = false): TimeRange {
  const s = attr(e, 'start');
  const en = attr(e, 'end');
  const start = s === undefined ? null : parseUtcDateTime(s);
  const end = en === undefined ? null : parseUtcDateTime(en);
  if ((s !== undefined && start === null) || (en !== undefined && end === null)) {
    throw DavError.condition(
      'caldav:malformed-time-range',
      `${e.name.replace(/^\{[^}]*\}/, '')}: start and end must be UTC date-times (YYYYMMDDTHHMMSSZ)`,
    );
  }
  if (start === null && end === null)
    throw DavError.condition('caldav:malformed-time-range', 'a time-range needs start or end');
  if (bothRequired && (start === null || end === null)) throw DavError.badRequest(`${e.name} needs start and end`);
  if (start !== null && end !== null && end <= start)
    throw DavError.condition('caldav:malformed-time-range', 'time-range end must be after start');
  return { start, end };
}

function parseComp(e: XmlElement): CompSelector {
  const name = (attr(e, 'name') ?? '').toUpperCase();
  if (!name) throw DavError.badRequest('CALDAV:comp needs a name');
  return {
    name,
    allProps: firstChild(e, caldav('allprop')) !== undefined,
    props: elements(e, caldav('prop')).map((p) => ({
      name: (attr(p, 'name') ?? '').toUpperCase(),
      novalue: (attr(p, 'novalue') ?? 'no').toLowerCase() === 'yes',
    })),
    allComps: firstChild(e, caldav('allcomp')) !== undefined,
    comps: elements(e, caldav('comp')).map(parseComp),
  };
}

/** RFC 4791 §9.6 (and RFC 7265 §6 for the jCal media type). */
export function parseCalendarDataRequest(e: XmlElement): CalendarDataRequest {
  const type = (attr(e, 'content-type') ?? ICALENDAR_TYPE).toLowerCase();
  const version = attr(e, 'version') ?? '2.0';
  if ((type !== ICALENDAR_TYPE && type !== JCAL_TYPE) || version !== '2.0') {
    throw DavError.condition(
      'caldav:supported-calendar-data',
      `calendar data as ${type} version ${version} is not supported`,
    );
  }
  const comp = firstChild(e, caldav('comp'));
  if (comp && (attr(comp, 'name') ?? '').toUpperCase() !== 'VCALENDAR')
    throw DavError.badRequest('the outer CALDAV:comp must be VCALENDAR');
  const expand = firstChild(e, caldav('expand'));
  const limitRs = firstChild(e, caldav('limit-recurrence-set'));
  const limitFb = firstChild(e, caldav('limit-freebusy-set'));
  return {
    contentType: type,
    ...(comp ? { comp: parseComp(comp) } : {}),
    ...(expand ? { expand: parseTimeRange(expand, true) } : {}),
    ...(limitRs ? { limitRecurrenceSet: parseTimeRange(limitRs, true) } : {}),
    ...(limitFb ? { limitFreebusySet: parseTimeRange(limitFb, true) } : {}),
  };
}
