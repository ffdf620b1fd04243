import {
  COLLATIONS,
  type Collation,
  type CompFilter,
  type ParamFilter,
  type PropFilter,
  type TextMatch,
} from '../../../domain/calendar/filter.js';
import { elements, firstChild, textOf, type XmlElement } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { parseTimeRange } from './calendar-data-request.js';

const attr = (e: XmlElement, name: string): string | undefined => e.attrs[`{}${name}`];
const invalid = (message: string): DavError => DavError.condition('caldav:valid-filter', message);

/** Where each component may appear (RFC 5545 §3.6, RFC 7953): the nesting a filter may name. */
const CHILDREN: Record<string, readonly string[]> = {
  VCALENDAR: ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE', 'VAVAILABILITY'],
  VEVENT: ['VALARM'],
  VTODO: ['VALARM'],
  VTIMEZONE: ['STANDARD', 'DAYLIGHT'],
  VAVAILABILITY: ['AVAILABLE'],
};
/** Components with time-range semantics (§9.9, RFC 7953 §7.1). */
const TIMED_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VALARM', 'VAVAILABILITY', 'AVAILABLE'];
/** Properties with time-range semantics (§9.9). */
const TIMED_PROPERTIES = ['COMPLETED', 'CREATED', 'DTEND', 'DTSTAMP', 'DTSTART', 'DUE', 'LAST-MODIFIED'];

function parseTextMatch(e: XmlElement): TextMatch {
  const collation = (attr(e, 'collation') ?? 'i;ascii-casemap') as Collation;
  if (!(COLLATIONS as readonly string[]).includes(collation)) {
    throw DavError.condition('caldav:supported-collation', `collation ${collation} is not supported`);
  }
  const negate = (attr(e, 'negate-condition') ?? 'no').toLowerCase();
  if (negate !== 'yes' && negate !== 'no') throw invalid('negate-condition is yes or no');
  return { value: textOf(e), collation, negate: negate === 'yes' };
}

function parseParamFilter(e: XmlElement): ParamFilter {
  const name = (attr(e, 'name') ?? '').toUpperCase();
  if (!name) throw invalid('param-filter needs a name');
  const isNotDefined = firstChild(e, caldav('is-not-defined')) !== undefined;
  const tm = firstChild(e, caldav('text-match'));
  if (isNotDefined && tm) throw invalid('param-filter: is-not-defined excludes text-match');
  return { name, isNotDefined, textMatch: tm ? parseTextMatch(tm) : null };
}

function parsePropFilter(e: XmlElement): PropFilter {
  const name = (attr(e, 'name') ?? '').toUpperCase();
  if (!name) throw invalid('prop-filter needs a name');
  const isNotDefined = firstChild(e, caldav('is-not-defined')) !== undefined;
  const tr = firstChild(e, caldav('time-range'));
  const tm = firstChild(e, caldav('text-match'));
  if (tr && tm) throw invalid('prop-filter holds time-range or text-match, not both');
  if (isNotDefined && (tr || tm || firstChild(e, caldav('param-filter'))))
    throw invalid('prop-filter: is-not-defined stands alone');
  if (tr && !TIMED_PROPERTIES.includes(name))
    throw invalid(`time-range is not defined for property ${name} (RFC 4791 §9.9)`);
  return {
    name,
    isNotDefined,
    timeRange: tr ? parseTimeRange(tr) : null,
    textMatch: tm ? parseTextMatch(tm) : null,
    paramFilters: elements(e, caldav('param-filter')).map(parseParamFilter),
  };
}

function parseCompFilter(e: XmlElement, parent: string | null): CompFilter {
  const name = (attr(e, 'name') ?? '').toUpperCase();
  if (!name) throw invalid('comp-filter needs a name');
  if (parent === null && name !== 'VCALENDAR') throw invalid('the outer comp-filter must name VCALENDAR');
  if (parent !== null && !name.startsWith('X-') && !(CHILDREN[parent] ?? []).includes(name)) {
    throw invalid(`${name} cannot be inside ${parent}`);
  }
  const isNotDefined = firstChild(e, caldav('is-not-defined')) !== undefined;
  const tr = firstChild(e, caldav('time-range'));
  if (tr && !TIMED_COMPONENTS.includes(name)) throw invalid(`time-range is not defined for ${name} (RFC 4791 §9.9)`);
  const props = elements(e, caldav('prop-filter'));
  const comps = elements(e, caldav('comp-filter'));
  if (isNotDefined && (tr || props.length > 0 || comps.length > 0))
    throw invalid('comp-filter: is-not-defined stands alone');
  return {
    name,
    isNotDefined,
    timeRange: tr ? parseTimeRange(tr) : null,
    propFilters: props.map(parsePropFilter),
    compFilters: comps.map((c) => parseCompFilter(c, name)),
  };
}

/** CALDAV:filter (RFC 4791 §9.7): exactly one comp-filter, for VCALENDAR. */
export function parseFilter(filter: XmlElement | undefined): CompFilter {
  if (!filter) throw invalid('calendar-query needs a CALDAV:filter');
  const comps = elements(filter, caldav('comp-filter'));
  if (comps.length !== 1) throw invalid('CALDAV:filter holds exactly one comp-filter');
  return parseCompFilter(comps[0] as XmlElement, null);
}
