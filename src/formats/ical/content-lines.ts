import { ICAL } from './ical.js';

/**
 * A jCal component as iCalendar content lines without the line break ical.js's stringify ends
 * a top-level component with: joined with CRLF, the lines stay contiguous (RFC 5545 §3.1 has no
 * empty content line; an empty line between components was written here before).
 */
export function contentLines(jcal: unknown): string {
  const text = ICAL.stringify(jcal as never);
  return text.endsWith('\r\n') ? text.slice(0, -2) : text;
}
