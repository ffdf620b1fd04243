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
import { zoneKey } from './zone-offsets.js';

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
  const out: Line[] = [];
  let depth = 0;
  for (const { raw, logical } of unfolded(text.split('\r\n'))) {
    const upper = logical.toUpperCase();
    if (upper.startsWith('BEGIN:')) depth += 1;
    const nested = depth !== 1 || upper.startsWith('BEGIN:') || upper.startsWith('END:');
    if (upper.startsWith('END:')) depth -= 1;
    out.push(nested ? nestedLine(raw) : propertyLine(raw, logical));
  }
  return out;
}

/** A line inside a nested component, or a BEGIN/END line: kept as it is. */
function nestedLine(raw: string): Line {
  return { name: '', params: '', raw, nested: true };
}

/** A property of the component itself: its name (upper case) and parameters. */
function propertyLine(raw: string, logical: string): Line {
  const colon = valueColon(logical);
  const head = logical.slice(0, colon);
  const semi = head.indexOf(';');
  return {
    name: (semi < 0 ? head : head.slice(0, semi)).toUpperCase(),
    params: semi < 0 ? '' : head.slice(semi),
    raw,
    nested: false,
  };
}

/** Physical lines joined into logical ones (RFC 5545 §3.1 unfolding): each with its folded original, CRLF-joined. Empty lines are skipped. */
function* unfolded(physical: readonly string[]): Generator<{ readonly raw: string; readonly logical: string }> {
  for (let i = 0; i < physical.length; i++) {
    let raw = physical[i] as string;
    if (raw === '') continue;
    let logical = raw;
    while (i + 1 < physical.length && /^[ \t]/.test(physical[i + 1] as string)) {
      i += 1;
      raw += '\r\n' + (physical[i] as string);
      logical += (physical[i] as string).slice(1);
    }
    yield { raw, logical };
  }
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
  return fitsOneLine(line) ? line : ICAL.helpers.foldline(line);
}

/** Whether `line` is ASCII of at most 75 octets: ical.js's folding leaves such a line as it is. */
function fitsOneLine(line: string): boolean {
  if (line.length > 75) return false;
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > 127) return false;
  return true;
}

/** A UTC DATE-TIME value's length: every value written into a slot has it, in one-octet characters. */
const SAMPLE_VALUE = '00000000T000000Z';

/** Where an instance's value goes in its component's text: the line's head (`DTSTART;X=y:`). */
interface Slot {
  readonly name: Timed;
  readonly head: string;
  /** Whether head + value is longer than a line may be (decided once, by a value of the same length). */
  readonly folds: boolean;
  /** The line as the component wrote it: kept when the instance has no value for it. */
  readonly raw: string;
}

/**
 * A component's text made ready for its instances, once per component while its parsed object
 * lives: its lines at its own level with the recurrence rules left out, consecutive fixed lines
 * joined, and a slot for each time property's value; `ridAt` is where a RECURRENCE-ID the
 * component lacks goes (after its last property, as ical.js appends it). An instance is then
 * the pieces and its values joined, not the component's lines edited again (issue #20).
 */
interface Template {
  /** Fixed text (one or more lines) or a slot; joined with CRLF. */
  readonly parts: readonly (string | Slot)[];
  readonly ridAt: number;
  readonly hasRid: boolean;
  /** The component's own DTSTART/DTEND/DUE instants by floating zone (zoneKey); null: one is a DATE. */
  readonly own: Map<string, OwnInstants | null>;
}

interface OwnInstants {
  readonly dtstart: number | null;
  readonly dtend: number | null;
  readonly due: number | null;
}

const TIMED: ReadonlySet<string> = new Set<Timed>(['DTSTART', 'DTEND', 'DUE', 'RECURRENCE-ID']);

function templateOf(lines: readonly Line[]): Template {
  const kept = lines.filter((l) => l.nested || !DROPPED.has(l.name));
  let lastProperty = -1;
  kept.forEach((l, i) => {
    if (!l.nested) lastProperty = i;
  });
  const parts: (string | Slot)[] = [];
  let fixed: string[] = [];
  const flush = (): void => {
    if (fixed.length > 0) parts.push(fixed.join('\r\n'));
    fixed = [];
  };
  let ridAt = -1;
  let hasRid = false;
  kept.forEach((line, i) => {
    if (!line.nested && TIMED.has(line.name)) {
      flush();
      const name = line.name as Timed;
      const head = `${name}${keptParams(line.params, name)}:`;
      parts.push({ name, head, folds: folded(head + SAMPLE_VALUE) !== head + SAMPLE_VALUE, raw: line.raw });
      if (name === 'RECURRENCE-ID') hasRid = true;
    } else fixed.push(line.raw);
    if (i === lastProperty) {
      flush();
      ridAt = parts.length;
    }
  });
  flush();
  return { parts, ridAt, hasRid, own: new Map() };
}

/** The component's own time values as instants in `floating`; null when one is a DATE. */
function ownInstants(t: Template, c: IcalComponent, floating: IcalTimezone | null): OwnInstants | null {
  const key = zoneKey(floating);
  let own = t.own.get(key);
  if (own === undefined) {
    const at = (name: string): number | null | undefined => {
      const v = timeProp(c, name);
      return !v ? null : v.isDate ? undefined : toMs(v, floating);
    };
    const [dtstart, dtend, due] = [at('dtstart'), at('dtend'), at('due')];
    own = dtstart === undefined || dtend === undefined || due === undefined ? null : { dtstart, dtend, due };
    t.own.set(key, own);
  }
  return own;
}

/** `ms` as UTC text; undefined when it has none (a year outside 0–9999), null when there is no instant. */
function utcValue(ms: number | null): string | null | undefined {
  return ms === null ? null : (utcText(ms) ?? undefined);
}

/**
 * The values of an instance's time properties in UTC — DTSTART its start; DTEND and DUE the
 * component's own, moved by the instance's distance from the component's DTSTART; RECURRENCE-ID
 * the instance's — or null when one has no UTC text or is a DATE.
 */
function instanceValues(
  inst: Instance,
  own: OwnInstants,
  floating: IcalTimezone | null,
): Record<Timed, string | null> | null {
  const { start, recurrenceId } = inst;
  if (start?.isDate || recurrenceId?.isDate) return null;
  const startMs = start ? (inst.startMs ?? toMs(start, floating)) : null;
  const moved = own.dtstart !== null && startMs !== null && inst.shiftMs !== 0 ? startMs - own.dtstart : 0;
  const ridMs = !recurrenceId
    ? null
    : recurrenceId === start && startMs !== null
      ? startMs
      : toMs(recurrenceId, floating);
  return valuesAt(own, startMs, ridMs, moved);
}

/** The slots' values of an instance starting at `startMs`, named `ridMs`, its DTEND and DUE `moved` from the component's own; null when one has no UTC text. */
function valuesAt(
  own: OwnInstants,
  startMs: number | null,
  ridMs: number | null,
  moved: number,
): Record<Timed, string | null> | null {
  const values = {
    DTSTART: utcValue(startMs),
    DTEND: utcValue(own.dtend === null ? null : own.dtend + moved),
    DUE: utcValue(own.due === null ? null : own.due + moved),
    'RECURRENCE-ID': utcValue(ridMs),
  };
  return Object.values(values).includes(undefined) ? null : (values as Record<Timed, string | null>);
}

/**
 * The occurrences of a master's own rule made ready, as plain data (kept with expand.ts
 * `SeriesText`, stored as JSON with its object): its template's pieces and its own DTSTART,
 * DTEND and DUE instants. For a master whose times are absolute.
 */
export interface RuleTemplate {
  readonly parts: readonly (string | Slot)[];
  readonly ridAt: number;
  readonly hasRid: boolean;
  readonly dtstart: number;
  readonly dtend: number | null;
  readonly due: number | null;
}

/** The RuleTemplate of `master`; null when one of its own times is a DATE or it has no DTSTART. */
export function ruleTemplateOf(master: IcalComponent): RuleTemplate | null {
  const t = templateFor(master);
  const own = ownInstants(t, master, null);
  if (own === null || own.dtstart === null) return null;
  return { parts: t.parts, ridAt: t.ridAt, hasRid: t.hasRid, dtstart: own.dtstart, dtend: own.dtend, due: own.due };
}

/**
 * The text `instanceText` gives the occurrence of a rule starting at `startMs` — RECURRENCE-ID
 * that start, DTEND and DUE moved by its distance from DTSTART — or null when it has none (a
 * year outside 0–9999).
 */
export function ruleInstanceText(rule: RuleTemplate, startMs: number): string | null {
  const values = valuesAt(rule, startMs, startMs, startMs - rule.dtstart);
  return values && filled(rule, values);
}

/** Whether `x` is an instant as JSON gives it back: a finite number. */
export function isInstant(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Whether `v` is a RuleTemplate (read back from JSON: anything else is refused, never half used). */
export function isRuleTemplate(v: unknown): v is RuleTemplate {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    Array.isArray(r.parts) &&
    r.parts.every((p) => typeof p === 'string' || isSlot(p)) &&
    Number.isInteger(r.ridAt) &&
    typeof r.hasRid === 'boolean' &&
    isInstant(r.dtstart) &&
    (r.dtend === null || isInstant(r.dtend)) &&
    (r.due === null || isInstant(r.due))
  );
}

function isSlot(v: unknown): v is Slot {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.name === 'string' &&
    TIMED.has(s.name) &&
    typeof s.head === 'string' &&
    typeof s.folds === 'boolean' &&
    typeof s.raw === 'string'
  );
}

/**
 * The text of one instance of `inst.component` — the same lines `expand.ts instanceComponent` and
 * ical.js's stringify give it — or null when ical.js must write it (a DATE, a year outside
 * 0–9999).
 */
export function instanceText(inst: Instance, floating: IcalTimezone | null): string | null {
  const c = inst.component;
  const t = templateFor(c);
  const own = ownInstants(t, c, floating);
  const values = own && instanceValues(inst, own, floating);
  if (!values) return null;
  return filled(t, values);
}

/** A template's text with `values` in its slots (a slot without a value keeps its line), and a RECURRENCE-ID it lacks appended. */
function filled(t: Pick<Template, 'parts' | 'ridAt' | 'hasRid'>, values: Record<Timed, string | null>): string {
  const rid = t.hasRid ? null : values['RECURRENCE-ID'];
  const out: string[] = [];
  for (let i = 0; i <= t.parts.length; i++) {
    if (i === t.ridAt && rid !== null) out.push(`RECURRENCE-ID:${rid}`);
    const part = t.parts[i];
    if (part === undefined) break;
    if (typeof part === 'string') out.push(part);
    else {
      const v = values[part.name];
      out.push(v === null ? part.raw : part.folds ? folded(part.head + v) : part.head + v);
    }
  }
  return out.join('\r\n');
}

/** Properties a lone event's expansion written from its text may not hold: it would not be one instance with these times. */
const NOT_LONE = new Set(['RRULE', 'RDATE', 'EXRULE', 'EXDATE', 'RECURRENCE-ID', 'DUE']);

/**
 * CALDAV:expand (RFC 4791 §9.6.5) of a calendar object whose one VEVENT does not recur, written
 * from its text without parsing it: the VCALENDAR's own properties, then the VEVENT with DTSTART
 * (and DTEND, when it has one; a DURATION stays as it is) in UTC, the VTIMEZONEs dropped — what
 * `expand.ts expandCalendarTextWork` writes from the parsed object, up to how ical.js would
 * normalise the other lines (they are kept as the client wrote them). `start` and `end` are the
 * event's instants: its index columns when the store marked its span exact (object-index.ts
 * `exactSpan`: one VEVENT, no recurrence, absolute times), which the caller checks. Null when
 * the text is not that shape (another component, a second VEVENT or VCALENDAR, a recurrence
 * property, a year outside 0–9999): the caller then expands the parsed object. A calendar's
 * events are mostly such objects, and a window of a large calendar meets most of them once:
 * parsing each (with its VTIMEZONE) to write one instance was a fifth of an expanded week at
 * 10,000 events (issue #20).
 */
export function loneEventExpansion(text: string, start: number, end: number): string | null {
  const parts = loneEventParts(text);
  if (!parts) return null;
  const lines = parts.event;
  const own = (name: string): number => lines.filter((l) => !l.nested && l.name === name).length;
  if (lines.some((l) => !l.nested && NOT_LONE.has(l.name))) return null;
  const dtend = own('DTEND');
  if (own('DTSTART') !== 1 || dtend > 1 || (dtend === 1 && own('DURATION') > 0)) return null;
  const values = {
    DTSTART: utcText(start),
    DTEND: dtend === 1 ? utcText(end) : null,
    DUE: null,
    'RECURRENCE-ID': null,
  };
  if (values.DTSTART === null || (dtend === 1 && values.DTEND === null)) return null;
  return `${parts.calendar.join('\r\n')}\r\n${filled(templateOf(lines), values)}\r\nEND:VCALENDAR\r\n`;
}

/** Whether a logical line begins or ends a component, and which one it begins (upper case). */
function boundaryOf(logical: string): { readonly begins: boolean; readonly ends: boolean; readonly comp: string } {
  // Only a line starting with B or E can be a BEGIN or END (most are neither: no copy made).
  const first = logical.charCodeAt(0) | 0x20;
  const head = first === 0x62 || first === 0x65 ? logical.slice(0, 6).toUpperCase() : '';
  const begins = head.startsWith('BEGIN:');
  return { begins, ends: head.startsWith('END:'), comp: begins ? logical.slice(6).trim().toUpperCase() : '' };
}

/**
 * The lines of a text holding one VCALENDAR with one VEVENT and nothing else but VTIMEZONEs:
 * the VCALENDAR's BEGIN and own properties, and the VEVENT's lines as `componentLines` gives
 * them (BEGIN and END written in upper case, nested components as they are), each as written
 * (folded). Null for anything else.
 */
function loneEventParts(text: string): { readonly calendar: string[]; readonly event: Line[] } | null {
  const calendar: string[] = ['BEGIN:VCALENDAR'];
  const event: Line[] = [];
  let depth = 0;
  let calendars = 0;
  let events = 0;
  let inZone = false;
  for (const { raw, logical } of unfolded(text.split(/\r?\n/))) {
    const { begins, ends, comp } = boundaryOf(logical);
    if (depth === 0) {
      if (comp !== 'VCALENDAR' || ++calendars > 1) return null;
      depth = 1;
    } else if (depth === 1) {
      if (ends)
        depth = 0; // END:VCALENDAR
      else if (!begins) calendar.push(raw);
      else if (comp === 'VTIMEZONE') [inZone, depth] = [true, 2];
      else if (comp === 'VEVENT' && ++events === 1) [inZone, depth] = [false, 2];
      else return null;
      if (begins && !inZone) event.push(nestedLine('BEGIN:VEVENT'));
    } else {
      const own = depth === 2 && !begins && !ends;
      depth += begins ? 1 : ends ? -1 : 0;
      if (inZone) continue;
      event.push(depth === 1 ? nestedLine('END:VEVENT') : own ? propertyLine(raw, logical) : nestedLine(raw));
    }
  }
  return depth === 0 && calendars === 1 && events === 1 ? { calendar, event } : null;
}

/**
 * Templates already made, by component. A parsed object is shared through the object cache
 * (domain/calendar/object-cache.ts) and never modified by its readers, so its components' text
 * stays what it was: each is written, split and made a template once while the object is cached,
 * not once per expanding request (ical.js's stringify was about a tenth of an expanded week's
 * CPU). Held weakly: a template goes when the object's tree does.
 */
const templates = new WeakMap<IcalComponent, Template>();

function templateFor(c: IcalComponent): Template {
  let t = templates.get(c);
  if (t === undefined) templates.set(c, (t = templateOf(componentLines(c.toString()))));
  return t;
}
