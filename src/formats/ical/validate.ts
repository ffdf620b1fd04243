import { IcalError } from './errors.js';
import { ICAL, OBJECT_COMPONENTS, type IcalComponent, type IcalRecur } from './ical.js';
import { MAX_RECURRENCE_DATES } from './limits.js';
import { ruleTexts } from './parse.js';
import { recurProblem } from './rrule-rules.js';
import { ruleTextProblem } from './structure.js';
import { toMs } from './time.js';
import { Lru } from '../lru.js';
import { definitionText } from './zone-offsets.js';

/** What a calendar collection allows (RFC 4791 §5.2.3, §5.2.6, §5.2.7). */
export interface ObjectLimits {
  /** Upper-case component names the collection accepts. */
  readonly components: readonly string[];
  readonly minDateTime?: number;
  readonly maxDateTime?: number;
}

export interface ValidatedObject {
  readonly root: IcalComponent;
  /** Upper-case main component type. */
  readonly component: string;
  readonly uid: string;
}

const invalid = (message: string): IcalError => new IcalError('valid-calendar-data', message);
const badObject = (message: string): IcalError => new IcalError('valid-calendar-object-resource', message);

function walk(c: IcalComponent, fn: (c: IcalComponent) => void): void {
  fn(c);
  for (const s of c.getAllSubcomponents()) walk(s, fn);
}

/**
 * VTIMEZONE definitions (their jCal text) every value of which parsed. Apple's and Thunderbird's
 * clients embed the zone in every object, so an import of a calendar or a stream of PUTs repeats
 * one definition thousands of times; equal text, equal values, so one seen is not parsed again
 * (issue #20: a tenth of preparing an object). Bounded by count and size.
 */
const checkedZones = new Lru<string, true>({ maxEntries: 256, maxBytes: 2 << 20 });

/** Each value of `c`'s own properties parses; a TZID outside a VTIMEZONE names one of `zones`. */
function checkValues(c: IcalComponent, zones: ReadonlySet<string>): void {
  const inZone = c.name === 'vtimezone' || c.name === 'standard' || c.name === 'daylight';
  for (const p of c.getAllProperties()) {
    let values: unknown[];
    try {
      values = p.getValues();
    } catch (err) {
      throw invalid(`${p.name.toUpperCase()}: ${(err as Error).message}`);
    }
    for (const v of values) {
      if (v instanceof ICAL.Time && Number.isNaN(v.toUnixTime()))
        throw invalid(`${p.name.toUpperCase()} is not a valid date`);
    }
    const tzid = p.getParameter('tzid');
    if (typeof tzid === 'string' && !inZone && !zones.has(tzid)) {
      throw invalid(`TZID ${tzid} has no VTIMEZONE in the object (RFC 5545 §3.2.19)`);
    }
  }
}

/** Every value parses (ical.js parses lazily) and every TZID has its VTIMEZONE (RFC 5545 §3.2.19). */
function checkValuesAndZones(root: IcalComponent): void {
  const zones = new Set<string>();
  for (const z of root.getAllSubcomponents('vtimezone')) {
    const id = z.getFirstPropertyValue('tzid');
    if (typeof id !== 'string' || id === '') throw invalid('a VTIMEZONE has no TZID');
    if (zones.has(id)) throw invalid(`VTIMEZONE ${id} is defined twice`);
    zones.add(id);
  }
  checkValues(root, zones);
  for (const c of root.getAllSubcomponents()) {
    const definition = c.name === 'vtimezone' ? definitionText(c) : null;
    if (definition !== null && checkedZones.get(definition)) continue;
    walk(c, (inner) => checkValues(inner, zones));
    if (definition !== null) checkedZones.set(definition, true, definition.length);
  }
}

const OBSERVANCES = new Set(['standard', 'daylight']);

/** RFC 5545 §3.3.10 on every RRULE/EXRULE (events and VTIMEZONE observances), and the RDATE/EXDATE count. */
function checkRecurrence(root: IcalComponent): void {
  for (const text of ruleTexts(root)) {
    const problem = ruleTextProblem(text);
    if (problem) throw invalid(problem);
  }
  walk(root, (c) => {
    for (const name of ['rrule', 'exrule']) {
      for (const p of c.getAllProperties(name)) {
        const problem = recurProblem(p.getFirstValue() as IcalRecur, OBSERVANCES.has(c.name) ? 'observance' : 'event');
        if (problem) throw invalid(problem);
      }
    }
    let dates = 0;
    for (const name of ['rdate', 'exdate']) for (const p of c.getAllProperties(name)) dates += p.getValues().length;
    if (dates > MAX_RECURRENCE_DATES)
      throw invalid(`${c.name.toUpperCase()} has more than ${MAX_RECURRENCE_DATES} RDATE/EXDATE values`);
  });
}

/** Properties of VEVENT/VTODO/VJOURNAL that "MUST NOT occur more than once" and that identify or place an instance (RFC 5545 §3.6.1–3.6.3). */
const ONCE = ['uid', 'dtstart', 'dtend', 'due', 'duration', 'recurrence-id'];

function checkComponent(c: IcalComponent): void {
  const name = c.name.toUpperCase();
  const has = (p: string): boolean => c.hasProperty(p);
  for (const p of ONCE)
    if (c.getAllProperties(p).length > 1) throw invalid(`${name} has more than one ${p.toUpperCase()} (RFC 5545 §3.6)`);
  if (name === 'VEVENT' && !has('dtstart')) throw invalid(`${name} needs DTSTART`);
  if ((has('rrule') || has('rdate')) && !has('dtstart')) throw invalid(`a recurring ${name} needs DTSTART`);
  if (has('dtend') && has('duration')) throw invalid(`${name} has both DTEND and DURATION`);
  if (has('due') && has('duration')) throw invalid(`${name} has both DUE and DURATION`);
  if (name === 'VTODO' && has('duration') && !has('dtstart')) throw invalid('a VTODO with DURATION needs DTSTART');
}

function checkDates(c: IcalComponent, limits: ObjectLimits): void {
  for (const name of ['dtstart', 'dtend', 'due', 'recurrence-id']) {
    const v = c.getFirstPropertyValue(name);
    if (!(v instanceof ICAL.Time)) continue;
    const ms = toMs(v, null);
    if (limits.minDateTime !== undefined && ms < limits.minDateTime) {
      throw new IcalError('min-date-time', `${name.toUpperCase()} lies before the calendar's min-date-time`);
    }
    if (limits.maxDateTime !== undefined && ms > limits.maxDateTime) {
      throw new IcalError('max-date-time', `${name.toUpperCase()} lies after the calendar's max-date-time`);
    }
  }
}

/**
 * RFC 5545 §3.8.4.4: "The value type of [RECURRENCE-ID] MUST be the same as the DTSTART property
 * value type" of the recurring component: an override of a timed series names its instance by a
 * DATE-TIME, of an all-day series by a DATE (the override's own DTSTART may change type).
 */
function checkRecurrenceIdTypes(main: readonly IcalComponent[]): void {
  const master = main.find((c) => !c.hasProperty('recurrence-id'));
  const start = master?.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time)) return;
  for (const c of main) {
    const rid = c.getFirstPropertyValue('recurrence-id');
    if (rid instanceof ICAL.Time && rid.isDate !== start.isDate) {
      throw invalid(
        `RECURRENCE-ID is a ${rid.isDate ? 'DATE' : 'DATE-TIME'} but the series' DTSTART is a ${start.isDate ? 'DATE' : 'DATE-TIME'} (RFC 5545 §3.8.4.4)`,
      );
    }
  }
}

/**
 * The restrictions on a calendar object resource (RFC 4791 §4.1, §5.3.2.1): one VCALENDAR of
 * iCalendar 2.0 without METHOD, one component type, one UID (a master and overrides with
 * distinct RECURRENCE-IDs), a VTIMEZONE for every TZID, every value well-formed.
 */
export function validateCalendarObject(root: IcalComponent, limits: ObjectLimits): ValidatedObject {
  if (root.name !== 'vcalendar') throw invalid('not a VCALENDAR');
  const version = root.getFirstPropertyValue('version');
  if (version !== '2.0')
    throw new IcalError('valid-calendar-data', `iCalendar VERSION must be 2.0 (got ${String(version ?? 'none')})`);
  if (root.hasProperty('method')) throw badObject('a calendar object resource must not have METHOD (RFC 4791 §4.1)');
  // Rules first: a VTIMEZONE's rules are expanded as soon as a time in it is read.
  try {
    checkRecurrence(root);
  } catch (err) {
    if (err instanceof IcalError) throw err;
    throw invalid(`recurrence: ${(err as Error).message}`);
  }
  checkValuesAndZones(root);
  const main = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone' && !c.name.startsWith('x-'));
  if (main.length === 0) throw badObject('the VCALENDAR holds no calendar component');
  const types = new Set(main.map((c) => c.name.toUpperCase()));
  if (types.size > 1) throw badObject(`one component type per resource (found ${[...types].join(', ')})`);
  const component = [...types][0] as string;
  if (!(OBJECT_COMPONENTS as readonly string[]).includes(component) || !limits.components.includes(component)) {
    throw new IcalError('supported-calendar-component', `${component} is not supported in this calendar`);
  }
  const uids = new Set(main.map((c) => c.getFirstPropertyValue('uid')));
  if (uids.has(null) || uids.has('')) throw badObject(`every ${component} needs a UID`);
  if (uids.size > 1) throw badObject('all components of a resource share one UID (RFC 4791 §4.1)');
  let masters = 0;
  const rids = new Set<number>();
  for (const c of main) {
    checkComponent(c);
    checkDates(c, limits);
    const rid = c.getFirstPropertyValue('recurrence-id');
    if (rid instanceof ICAL.Time) {
      const key = toMs(rid, null);
      if (rids.has(key)) throw badObject('two overrides share a RECURRENCE-ID');
      rids.add(key);
    } else masters += 1;
  }
  if (masters > 1) throw badObject('more than one component without RECURRENCE-ID for one UID');
  checkRecurrenceIdTypes(main);
  return { root, component, uid: String([...uids][0]) };
}
