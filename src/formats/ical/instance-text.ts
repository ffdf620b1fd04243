/**
 * One expanded instance (RFC 4791 §9.6.5) written straight from its component's text: the same
 * lines `expand.ts instanceComponent` + ical.js stringify give, without copying the component
 * through jCal and back for every instance (that copy was most of an expand's rendering). The
 * component's lines are edited at its own level only (never inside a VALARM): recurrence rules
 * dropped, DTSTART/DTEND/DUE/RECURRENCE-ID rewritten in UTC in place (TZID and VALUE dropped, any
 * other parameter kept, RANGE dropped from RECURRENCE-ID), a missing RECURRENCE-ID appended after
 * the last property, as ical.js appends it. Only date-times are handled here; an instance with a
 * DATE returns null and is written by ical.js.
 */
import { ICAL, type IcalComponent, type IcalTimezone } from './ical.js';
import { timeProp, type Instance } from './instances.js';
import { toMs, utcText } from './time.js';

const DROPPED = new Set(['RRULE', 'RDATE', 'EXDATE', 'EXRULE']);
type Timed = 'DTSTART' | 'DTEND' | 'DUE' | 'RECURRENCE-ID';

/** A component's text as logical lines at its own level: [name, parameters text, folded original]. */
interface Line {
  readonly name: string;
  /** What follows the name up to the value's colon (";A=b;C=d"), or '' for a nested line. */
  readonly params: string;
  /** The line as ical.js wrote it (folded), '\r\n'-joined when folded. */
  readonly raw: string;
  /** Inside a nested component (VALARM): never edited. */
  readonly nested: boolean;
}

/** The logical lines of a component's text, with each top-level property's name and parameters. */
function componentLines(text: string): Line[] {
  const physical = text.split('\r\n');
  const out: Line[] = [];
  let depth = 0;
  for (let i = 0; i < physical.length; i++) {
    let raw = physical[i] as string;
    if (raw === '') continue;
    let logical = raw;
    while (i + 1 < physical.length && /^[ \t]/.test(physical[i + 1] as string)) {
      i += 1;
      raw += '\r\n' + (physical[i] as string);
      logical += (physical[i] as string).slice(1);
    }
    const upper = logical.toUpperCase();
    if (upper.startsWith('BEGIN:')) depth += 1;
    const nested = depth !== 1 || upper.startsWith('BEGIN:') || upper.startsWith('END:');
    if (upper.startsWith('END:')) depth -= 1;
    if (nested) {
      out.push({ name: '', params: '', raw, nested: true });
      continue;
    }
    const colon = valueColon(logical);
    const head = logical.slice(0, colon);
    const semi = head.indexOf(';');
    out.push({
      name: (semi < 0 ? head : head.slice(0, semi)).toUpperCase(),
      params: semi < 0 ? '' : head.slice(semi),
      raw,
      nested: false,
    });
  }
  return out;
}

/** The index of the colon that starts a content line's value: the first one outside a quoted parameter value. */
function valueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 58 && !quoted) return i;
  }
  return line.length;
}

/** Parameters but TZID and VALUE (and RANGE for a RECURRENCE-ID), split outside quotes. */
function keptParams(params: string, name: Timed): string {
  if (params === '') return '';
  const parts: string[] = [];
  let quoted = false;
  let start = 1;
  for (let i = 1; i <= params.length; i++) {
    const c = params.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if ((c === 59 && !quoted) || i === params.length) {
      parts.push(params.slice(start, i));
      start = i + 1;
    }
  }
  const drop = (p: string): boolean => {
    const key = p.slice(0, p.indexOf('=')).toUpperCase();
    return key === 'TZID' || key === 'VALUE' || (name === 'RECURRENCE-ID' && key === 'RANGE');
  };
  return parts
    .filter((p) => !drop(p))
    .map((p) => ';' + p)
    .join('');
}

/** Fold a content line at 75 octets (RFC 5545 §3.1) with ical.js's own folding, as its stringify does. */
function folded(line: string): string {
  return ICAL.helpers.foldline(line);
}

/** The instants to write for an instance's time properties (as instanceComponent computes them), or null for a DATE. */
function instantsOf(inst: Instance, floating: IcalTimezone | null): Map<Timed, number> | null {
  const c = inst.component;
  const out = new Map<Timed, number>();
  const own = timeProp(c, 'dtstart');
  const start = inst.start;
  if (start) {
    if (start.isDate) return null;
    out.set('DTSTART', toMs(start, floating));
  }
  for (const name of ['dtend', 'due'] as const) {
    const v = timeProp(c, name);
    if (!v) continue;
    if (v.isDate) return null;
    const moved = own && start && inst.shiftMs !== 0 ? toMs(start, floating) - toMs(own, floating) : 0;
    out.set(name.toUpperCase() as Timed, toMs(v, floating) + moved);
  }
  if (inst.recurrenceId) {
    if (inst.recurrenceId.isDate) return null;
    out.set('RECURRENCE-ID', toMs(inst.recurrenceId, floating));
  }
  return out;
}

/**
 * The text of one instance of `inst.component` (whose own text, as ical.js writes it, is
 * `lines`), or null when ical.js must write it (a DATE, a year outside 0–9999).
 */
export function instanceText(lines: readonly Line[], inst: Instance, floating: IcalTimezone | null): string | null {
  const instants = instantsOf(inst, floating);
  if (!instants) return null;
  const values = new Map<Timed, string>();
  for (const [name, ms] of instants) {
    const v = utcText(ms);
    if (v === null) return null;
    values.set(name, v);
  }
  const out: string[] = [];
  let lastProperty = -1;
  let hasRid = false;
  for (const line of lines) {
    if (line.nested) {
      out.push(line.raw);
      continue;
    }
    if (DROPPED.has(line.name)) continue;
    const v = values.get(line.name as Timed);
    if (v !== undefined) {
      out.push(folded(`${line.name}${keptParams(line.params, line.name as Timed)}:${v}`));
      if (line.name === 'RECURRENCE-ID') hasRid = true;
    } else out.push(line.raw);
    lastProperty = out.length - 1;
  }
  const rid = values.get('RECURRENCE-ID');
  if (rid !== undefined && !hasRid) out.splice(lastProperty + 1, 0, `RECURRENCE-ID:${rid}`);
  return out.join('\r\n');
}

/**
 * Lines already computed, by component. A parsed object is shared through the object cache
 * (domain/calendar/object-cache.ts) and never modified by its readers, so its components' text
 * stays what it was: each is written and split once while the object is cached, not once per
 * expanding request (ical.js's stringify was about a tenth of an expanded week's CPU). Held
 * weakly: the lines go when the object's tree does.
 */
const computedLines = new WeakMap<IcalComponent, readonly Line[]>();

/** A component's lines, from its text as ical.js writes it (computed once per component, see computedLines). */
export function linesOf(c: IcalComponent): readonly Line[] {
  let lines = computedLines.get(c);
  if (lines === undefined) computedLines.set(c, (lines = componentLines(c.toString())));
  return lines;
}
