/**
 * VCALENDAR's two required properties (RFC 5545 §3.6: PRODID and VERSION "MUST NOT occur more
 * than once" and are REQUIRED), added when a client left them out. python-caldav 0.11 wraps a
 * bare VEVENT in `BEGIN:VCALENDAR … END:VCALENDAR` without either; refusing such a body would
 * lose the user's event over two lines every other part of it makes obvious, so they are
 * added, right after BEGIN:VCALENDAR, and the rest of the text is kept byte for byte.
 * A VERSION other than 2.0 is not repaired here: that is another format (validate.ts refuses it).
 */

/** The PRODID written for a client that sent none (RFC 5545 §3.7.3). */
export const REPAIR_PRODID = '-//Almanac//Almanac repaired iCalendar//EN';

/** The text with VERSION and PRODID added where missing, or null when nothing is missing. */
export function completeCalendarHeader(text: string, has: { version: boolean; prodid: boolean }): string | null {
  if (has.version && has.prodid) return null;
  const begin = /^[ \t\r\n]*BEGIN:VCALENDAR[ \t]*(\r\n|\n)/i.exec(text);
  if (!begin) return null;
  const eol = begin[1]!;
  const added = `${has.version ? '' : `VERSION:2.0${eol}`}${has.prodid ? '' : `PRODID:${REPAIR_PRODID}${eol}`}`;
  const at = begin.index + begin[0].length;
  return text.slice(0, at) + added + text.slice(at);
}
