import { IcalError } from './errors.js';
import { ICAL, parseStats, type IcalComponent } from './ical.js';
import { scanCalendarText } from './structure.js';
import { ZonedCalendar } from './zone-offsets.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes → text: iCalendar is UTF-8 (RFC 5545 §3.1.4); a BOM is dropped. */
export function decodeCalendarText(body: Uint8Array | string): string {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      throw new IcalError('valid-calendar-data', 'iCalendar data must be UTF-8');
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The RRULE/EXRULE values of a parsed VCALENDAR as they were written (see structure.ts). */
const rawRules = new WeakMap<IcalComponent, readonly string[]>();

/** The first control-character problem of a VCALENDAR parsed from text (structure.ts), or null. */
const controlProblems = new WeakMap<IcalComponent, string>();

/** Why a VCALENDAR parsed from text holds a content line a writer must refuse (RFC 5545 §3.1), or null. */
export function controlProblemOf(root: IcalComponent): string | null {
  return controlProblems.get(root) ?? null;
}

/** The raw RRULE/EXRULE values of a VCALENDAR parsed from text; empty for jCal or a built tree. */
export function ruleTexts(root: IcalComponent): readonly string[] {
  return rawRules.get(root) ?? [];
}

/** Every VCALENDAR in a text (an import file may hold several). */
export function parseCalendars(body: Uint8Array | string): IcalComponent[] {
  const text = decodeCalendarText(body);
  if (!/^\s*BEGIN:VCALENDAR/i.test(text))
    throw new IcalError('valid-calendar-data', 'not an iCalendar object (no BEGIN:VCALENDAR)');
  const scanned = scanCalendarText(text);
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (err) {
    throw new IcalError('valid-calendar-data', `iCalendar syntax error: ${(err as Error).message}`);
  }
  parseStats.count += 1;
  const list = (Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed : [parsed]) as unknown[];
  const out: IcalComponent[] = list.map((j) => new ZonedCalendar(j as never));
  out.forEach((c, i) => {
    if (c.name !== 'vcalendar')
      throw new IcalError('valid-calendar-data', `top-level component is ${c.name.toUpperCase()}, not VCALENDAR`);
    rawRules.set(c, scanned.rules[i] ?? []);
    const control = scanned.controls[i];
    if (control) controlProblems.set(c, control);
  });
  return out;
}

/** Exactly one VCALENDAR (RFC 4791 §4.1: a calendar object resource is one iCalendar object). */
export function parseCalendar(body: Uint8Array | string): IcalComponent {
  const all = parseCalendars(body);
  if (all.length !== 1)
    throw new IcalError('valid-calendar-object-resource', 'a calendar object resource holds exactly one VCALENDAR');
  return all[0] as IcalComponent;
}

/** jCal (RFC 7265) → a VCALENDAR component. */
export function parseJcal(body: Uint8Array | string): IcalComponent {
  let json: unknown;
  try {
    json = JSON.parse(decodeCalendarText(body));
  } catch (err) {
    throw new IcalError('valid-calendar-data', `jCal is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(json) || json[0] !== 'vcalendar' || json.length !== 3) {
    throw new IcalError('valid-calendar-data', 'jCal must be a ["vcalendar", props, components] array');
  }
  parseStats.count += 1;
  try {
    const c: IcalComponent = new ZonedCalendar(json as never);
    c.toString(); // walks every value: malformed jCal fails here
    return c;
  } catch (err) {
    throw new IcalError('valid-calendar-data', `invalid jCal: ${(err as Error).message}`);
  }
}
