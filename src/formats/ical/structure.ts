/**
 * A linear scan of iCalendar text before ical.js parses it: ical.js builds components
 * recursively (10,000 nested BEGINs overflow the stack) and keeps every value, so the shape is
 * bounded here first (limits.ts). The scan also keeps the raw RRULE/EXRULE values: ical.js
 * silently turns INTERVAL=0 into 1, so RFC 5545 §3.3.10 can only be checked on the text.
 */
import { controlCharacterProblem, mayHoldControls } from '../control-characters.js';
import { IcalError } from './errors.js';
import {
  MAX_COMPONENT_DEPTH,
  MAX_COMPONENTS_PER_OBJECT,
  MAX_OVERRIDES_PER_OBJECT,
  MAX_PARAMETERS_PER_PROPERTY,
  MAX_PROPERTIES_PER_OBJECT,
} from './limits.js';

const invalid = (message: string): IcalError => new IcalError('valid-calendar-data', message);

/** What the scan found that ical.js would not keep. */
export interface CalendarText {
  /** Raw values of the RRULE and EXRULE lines, one list per top-level component, in order. */
  readonly rules: readonly (readonly string[])[];
  /**
   * Per top-level component, the first content line holding a control character other than HTAB
   * (RFC 5545 §3.1), as the reason to refuse it, or null. Only writers refuse on it (formats read
   * elsewhere, e.g. another server's events in the web app, are shown as they are).
   */
  readonly controls: readonly (string | null)[];
}

/** How many parameters a content line has: `;` before the value's `:`, outside quotes (RFC 5545 §3.1). */
function parameterCount(line: string): { count: number; colon: number } {
  let count = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 34)
      quoted = !quoted; // "
    else if (!quoted && ch === 59)
      count += 1; // ;
    else if (!quoted && ch === 58) return { count, colon: i }; // :
  }
  return { count, colon: -1 };
}

/**
 * Check the shape of an iCalendar text against the limits, per top-level VCALENDAR (an import
 * file may hold many); throws CALDAV:valid-calendar-data.
 */
export function scanCalendarText(text: string): CalendarText {
  const all: string[][] = [];
  const controls: (string | null)[] = [];
  // Most texts hold no control character at all: one native scan, and lines are checked only if so.
  const suspicious = mayHoldControls(text);
  let rules: string[] = [];
  let depth = 0;
  let components = 0;
  let properties = 0;
  let overrides = 0;
  for (const line of text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    if (line === '') continue;
    const { count, colon } = parameterCount(line);
    if (count > MAX_PARAMETERS_PER_PROPERTY)
      throw invalid(`a property has more than ${MAX_PARAMETERS_PER_PROPERTY} parameters`);
    const semi = line.indexOf(';');
    const nameEnd = semi >= 0 && (colon < 0 || semi < colon) ? semi : colon;
    const name = (nameEnd < 0 ? line : line.slice(0, nameEnd)).toUpperCase();
    const at = controls.length - 1;
    if (suspicious && at >= 0 && controls[at] === null) controls[at] = controlCharacterProblem(line, name);
    if (name === 'BEGIN') {
      if (depth === 0) {
        all.push((rules = []));
        controls.push(null);
        components = properties = overrides = 0;
      }
      depth += 1;
      components += 1;
      if (depth > MAX_COMPONENT_DEPTH) throw invalid(`components are nested more than ${MAX_COMPONENT_DEPTH} deep`);
      if (components > MAX_COMPONENTS_PER_OBJECT)
        throw invalid(`more than ${MAX_COMPONENTS_PER_OBJECT} components in one object`);
    } else if (name === 'END') depth -= 1;
    else {
      properties += 1;
      if (properties > MAX_PROPERTIES_PER_OBJECT)
        throw invalid(`more than ${MAX_PROPERTIES_PER_OBJECT} properties in one object`);
      if (name === 'RECURRENCE-ID' && ++overrides > MAX_OVERRIDES_PER_OBJECT) {
        throw invalid(`more than ${MAX_OVERRIDES_PER_OBJECT} overridden instances (RECURRENCE-ID) in one object`);
      }
      if ((name === 'RRULE' || name === 'EXRULE') && colon >= 0) rules.push(line.slice(colon + 1));
    }
  }
  return { rules: all, controls };
}

/**
 * The RFC 5545 §3.3.10 rules ical.js does not keep: FREQ is required, INTERVAL and COUNT are
 * positive integers. Returns the reason a raw RRULE value is invalid, or null.
 */
export function ruleTextProblem(value: string): string | null {
  const parts = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) return `RRULE part "${part}" is not NAME=VALUE`;
    const key = part.slice(0, eq).trim().toUpperCase();
    if (parts.has(key)) return `RRULE names ${key} twice`;
    parts.set(key, part.slice(eq + 1).trim());
  }
  if (!parts.has('FREQ')) return 'RRULE has no FREQ (RFC 5545 §3.3.10: FREQ is required)';
  for (const key of ['INTERVAL', 'COUNT']) {
    const v = parts.get(key);
    if (v !== undefined && !/^[1-9][0-9]{0,8}$/.test(v))
      return `RRULE ${key}=${v}: must be a positive integer (RFC 5545 §3.3.10)`;
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) return 'RRULE has both COUNT and UNTIL (RFC 5545 §3.3.10)';
  return null;
}
