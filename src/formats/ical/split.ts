import { IcalError } from './errors.js';
import { isKnownZone, vtimezone } from './intl-zones.js';
import { MAX_COMPONENT_DEPTH } from './limits.js';
import { runNow, type Work } from './work.js';

/** One calendar object resource cut out of an iCalendar stream. */
interface SplitObject {
  readonly uid: string;
  readonly text: string;
}

interface SplitSkip {
  readonly what: string;
  readonly reason: string;
}

export interface SplitCalendars {
  readonly objects: SplitObject[];
  readonly skipped: SplitSkip[];
  /** The first non-empty X-WR-CALNAME of the calendars (the name feeds and exports give themselves). */
  readonly calendarName: string | null;
}

/** A TEXT value unescaped (RFC 5545 §3.3.11). */
const unescapeText = (v: string): string =>
  v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** VTIMEZONE lines a file may hold in all (real zones take 10–400 lines; a file has a few). */
const MAX_ZONE_LINES = 100_000;

const invalid = (reason: string): IcalError => new IcalError('valid-calendar-data', reason);

/** A content line as written (its folded continuation lines kept) and unfolded (RFC 5545 §3.1). */
interface Line {
  readonly written: string[];
  readonly text: string;
}

/** The logical lines of a text: a physical line starting with a space or tab continues the one before. */
function* logicalLines(text: string): Generator<Line> {
  let written: string[] = [];
  let parts: string[] = [];
  for (const physical of text.split(/\r?\n/)) {
    const first = physical.charCodeAt(0);
    if ((first === 32 || first === 9) && written.length > 0) {
      written.push(physical);
      parts.push(physical.slice(1));
      continue;
    }
    if (written.length > 0) yield { written, text: parts.join('') };
    written = physical === '' ? [] : [physical];
    parts = physical === '' ? [] : [physical];
  }
  if (written.length > 0) yield { written, text: parts.join('') };
}

/** Name (upper case), parameters' raw text and value of an unfolded content line (RFC 5545 §3.1). */
function contentLine(text: string): { name: string; params: string; value: string } {
  let quoted = false;
  let nameEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34)
      quoted = !quoted; // "
    else if (!quoted && ch === 59 && nameEnd < 0)
      nameEnd = i; // ;
    else if (!quoted && ch === 58) {
      // :
      const end = nameEnd < 0 ? i : nameEnd;
      return { name: text.slice(0, end).toUpperCase(), params: text.slice(end, i), value: text.slice(i + 1) };
    }
  }
  return { name: text.toUpperCase(), params: '', value: '' };
}

/** The TZID parameter's value in a line's parameter text (";TZID=…;VALUE=…"), or null. */
function tzidOf(params: string): string | null {
  if (params === '' || !/TZID=/i.test(params)) return null;
  let quoted = false;
  let start = 1;
  for (let i = 1; i <= params.length; i++) {
    const ch = i < params.length ? params.charCodeAt(i) : 59;
    if (ch === 34) quoted = !quoted;
    else if (ch === 59 && !quoted) {
      const part = params.slice(start, i);
      start = i + 1;
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim().toUpperCase() === 'TZID') return part.slice(eq + 1).replace(/^"|"$/g, '');
    }
  }
  return null;
}

interface Component {
  readonly lines: string[];
  readonly tzids: Set<string>;
  uid: string | null;
  summary: string;
  readonly name: string;
  readonly prodid: string | null;
}

/**
 * Cut one or more VCALENDARs — an export, an import file, a subscribed feed — into calendar
 * object resources (RFC 4791 §4.1): one per UID, joining that UID's components (the master and
 * its overrides) wherever they stand in the file, each with the VTIMEZONEs its TZIDs need
 * (RFC 5545 §3.6.5). TZIDs the file names without defining them get a VTIMEZONE from Intl when
 * the zone is known (RFC 5545 §3.2.19 wants one, and a calendar object without it would be
 * refused at PUT); others stay as they are for the write path to judge.
 *
 * It works on the text: lines are kept as written (folded lines stay folded, nothing is
 * re-serialised), so an object's bytes are exactly what the file held and each object is parsed
 * once, by the write path that validates it (which also applies the per-object limits of
 * formats/ical/limits.ts; the file itself may hold any number of components). Components
 * without UID are reported rather than guessed at; METHOD and other calendar properties but
 * PRODID are left out. Structure errors (an END without its BEGIN, content outside a VCALENDAR,
 * a missing END) are CALDAV:valid-calendar-data.
 */
export function splitCalendarText(text: string): SplitCalendars {
  return runNow(splitCalendarTextWork(text));
}

/** What a scan of the file has found so far. */
class Scan {
  readonly zones = new Map<string, string[]>();
  readonly byUid = new Map<string, Component[]>();
  readonly skipped: SplitSkip[] = [];
  calendarName: string | null = null;
  inCalendar = false;
  private zoneLines = 0;
  private prodid: string | null = null;
  private current: Component | null = null;
  private readonly open: string[] = [];
  private zoneId: string | null = null;

  get inComponent(): boolean {
    return this.current !== null;
  }

  /** A line between BEGIN:VCALENDAR and END:VCALENDAR, outside any component. */
  calendarLine(line: Line, name: string, value: string): void {
    if (name === 'BEGIN') {
      const kind = value.trim().toUpperCase();
      this.current = {
        lines: [...line.written],
        tzids: new Set(),
        uid: null,
        summary: '',
        name: kind,
        prodid: this.prodid,
      };
      this.open.push(kind);
      this.zoneId = null;
    } else if (name === 'END') {
      if (value.trim().toUpperCase() !== 'VCALENDAR') throw invalid(`END:${value.trim()} without its BEGIN`);
      this.inCalendar = false;
    } else if (name === 'PRODID') this.prodid = value;
    else if (name === 'X-WR-CALNAME' && this.calendarName === null && value.trim() !== '')
      this.calendarName = unescapeText(value.trim());
  }

  /** A line outside every VCALENDAR. */
  outsideLine(line: Line, name: string, value: string): void {
    if (name === 'BEGIN' && value.trim().toUpperCase() === 'VCALENDAR') {
      this.inCalendar = true;
      this.prodid = null;
    } else if (line.text.trim() !== '') throw invalid('content outside BEGIN:VCALENDAR … END:VCALENDAR');
  }

  /** A line of the component being read (its own, or of a component nested in it). */
  componentLine(line: Line, name: string, params: string, value: string): void {
    const c = this.current as Component;
    c.lines.push(...line.written);
    const depth = this.open.length;
    if (name === 'BEGIN' && this.open.push(value.trim().toUpperCase()) > MAX_COMPONENT_DEPTH)
      throw invalid(`components are nested more than ${MAX_COMPONENT_DEPTH} deep`);
    else if (name === 'END') {
      const kind = value.trim().toUpperCase();
      if (this.open.pop() !== kind) throw invalid(`END:${kind} does not close the BEGIN before it`);
    } else if (depth === 1 && name === 'UID') c.uid = value;
    else if (depth === 1 && name === 'SUMMARY') c.summary = value;
    else if (c.name === 'VTIMEZONE' && depth === 1 && name === 'TZID') this.zoneId = value;
    if (c.name !== 'VTIMEZONE') {
      const tz = tzidOf(params);
      if (tz !== null) c.tzids.add(tz);
    }
    if (this.open.length === 0) this.endComponent(c);
  }

  private endComponent(c: Component): void {
    this.current = null;
    if (c.name === 'VTIMEZONE') {
      this.zoneLines += c.lines.length;
      if (this.zoneLines > MAX_ZONE_LINES) throw invalid(`more than ${MAX_ZONE_LINES} lines of VTIMEZONE`);
      if (this.zoneId !== null && !this.zones.has(this.zoneId)) this.zones.set(this.zoneId, c.lines);
    } else if (c.uid === null || c.uid === '') {
      this.skipped.push({ what: `${c.name} ${c.summary}`.trim(), reason: 'no UID' });
    } else {
      const list = this.byUid.get(c.uid);
      if (list) list.push(c);
      else this.byUid.set(c.uid, [c]);
    }
  }
}

/** One object's text: its components with the VTIMEZONEs they name, defined in the file or made from Intl. */
function objectText(
  comps: readonly Component[],
  zones: ReadonlyMap<string, string[]>,
  intlZones: Map<string, string>,
): string {
  const needed = new Set<string>();
  for (const c of comps) for (const tz of c.tzids) needed.add(tz);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${comps[0]?.prodid ?? '-//Almanac//import//EN'}`];
  for (const tzid of needed) {
    const defined = zones.get(tzid);
    if (defined) lines.push(...defined);
    else if (isKnownZone(tzid)) {
      let made = intlZones.get(tzid);
      if (made === undefined) intlZones.set(tzid, (made = vtimezone(tzid, new Date().getFullYear())));
      lines.push(made);
    }
  }
  for (const c of comps) lines.push(...c.lines);
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

/** `splitCalendarText` as Work: the server runs it in slices (domain/cooperative.ts), so a 10 MiB feed does not hold the event loop. */
export function* splitCalendarTextWork(text: string): Work<SplitCalendars> {
  const scan = new Scan();
  let steps = 0;
  for (const line of logicalLines(text.replace(/^\uFEFF/, ''))) {
    if (++steps % 256 === 0) yield;
    const { name, params, value } = contentLine(line.text);
    if (scan.inComponent) scan.componentLine(line, name, params, value);
    else if (scan.inCalendar) scan.calendarLine(line, name, value);
    else scan.outsideLine(line, name, value);
  }
  if (scan.inCalendar || scan.inComponent) throw invalid('missing END:VCALENDAR');
  const intlZones = new Map<string, string>();
  const objects: SplitObject[] = [];
  for (const [uid, comps] of scan.byUid) {
    if (++steps % 64 === 0) yield;
    objects.push({ uid, text: objectText(comps, scan.zones, intlZones) });
  }
  return { objects, skipped: scan.skipped, calendarName: scan.calendarName };
}
