import { IcalError } from './errors.js';

/** Components (nested ones counted) a chunk holds at most, well under MAX_COMPONENTS_PER_OBJECT. */
const CHUNK_COMPONENTS = 1_000;
/** VTIMEZONE lines repeated in every chunk at most (a feed needing more is refused). */
const MAX_ZONE_LINES = 20_000;

const invalid = (reason: string): IcalError => new IcalError('valid-calendar-data', reason);

/** The upper-cased value of a BEGIN/END line, or null for any other line. */
function marker(line: string, what: 'BEGIN' | 'END'): string | null {
  if (line.length <= what.length || line[what.length] !== ':' || line.slice(0, what.length).toUpperCase() !== what)
    return null;
  return line
    .slice(what.length + 1)
    .trim()
    .toUpperCase();
}

/**
 * Cut the text of one or more VCALENDARs (an .ics feed, an export) into several smaller
 * VCALENDAR texts, each with the calendar's properties, all its VTIMEZONEs and at most
 * `maxComponents` components of the rest, so that every piece stays within the per-object limits
 * of `parseCalendars` (formats/ical/limits.ts) and is parsed on its own: a feed with 20,000
 * events is then split per UID by `splitCalendars` over the pieces (which joins a UID's
 * components wherever they stand). Lines are kept as written (folded lines stay folded).
 * Structure errors (an END without its BEGIN, content outside a VCALENDAR) are
 * CALDAV:valid-calendar-data.
 */
export function chunkCalendarText(text: string, maxComponents = CHUNK_COMPONENTS): string[] {
  const chunks: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: string[] | null = null;
  let zones: string[] = [];
  let parts: { lines: string[]; components: number }[] = [];
  let current: { lines: string[]; components: number; name: string; depth: number } | null = null;

  const flush = (): void => {
    let batch: string[] = [];
    let count = 0;
    const emit = (): void => {
      chunks.push(['BEGIN:VCALENDAR', ...(header ?? []), ...zones, ...batch, 'END:VCALENDAR', ''].join('\r\n'));
      batch = [];
      count = 0;
    };
    for (const p of parts) {
      if (count > 0 && count + p.components > maxComponents) emit();
      batch.push(...p.lines);
      count += p.components;
    }
    if (count > 0 || parts.length === 0) emit();
  };

  for (const line of lines) {
    if (current) {
      current.lines.push(line);
      if (marker(line, 'BEGIN') !== null) {
        current.depth += 1;
        current.components += 1;
      } else if (marker(line, 'END') !== null && --current.depth === 0) {
        if (current.name === 'VTIMEZONE') {
          zones.push(...current.lines);
          if (zones.length > MAX_ZONE_LINES) throw invalid(`more than ${MAX_ZONE_LINES} lines of VTIMEZONE`);
        } else parts.push(current);
        current = null;
      }
      continue;
    }
    const begin = marker(line, 'BEGIN');
    const end = marker(line, 'END');
    if (header === null) {
      if (begin === 'VCALENDAR') {
        header = [];
        zones = [];
        parts = [];
      } else if (line.trim() !== '') throw invalid('content outside BEGIN:VCALENDAR … END:VCALENDAR');
      continue;
    }
    if (begin !== null) current = { lines: [line], components: 1, name: begin, depth: 1 };
    else if (end === 'VCALENDAR') {
      flush();
      header = null;
    } else if (end !== null) throw invalid(`END:${end} without its BEGIN`);
    else if (line !== '') header.push(line);
  }
  if (header !== null || current !== null) throw invalid('missing END:VCALENDAR');
  return chunks;
}
