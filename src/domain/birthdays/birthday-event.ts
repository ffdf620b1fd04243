import type { CardDate } from '../../formats/vcard/anniversaries.js';

/** Year-less dates start in this year: a leap year, so 29 February exists in it. */
const REFERENCE_YEAR = 1972;
/** The earliest DTSTART a calendar takes (domain/calendar/settings.ts MIN_DATE_TIME). */
const FIRST_YEAR = 1900;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** iCalendar TEXT escaping (RFC 5545 §3.3.11). */
function icalText(s: string): string {
  return s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** The event's title: "Ada Lovelace (1815)" for a birthday with a year; anniversaries say so. */
function eventTitle(name: string, date: CardDate): string {
  const who = name || 'Unnamed contact';
  const base = date.kind === 'birthday' ? who : `Anniversary: ${who}`;
  return date.year === null ? base : `${base} (${date.year})`;
}

/**
 * One yearly all-day event (RFC 5545: DTSTART;VALUE=DATE, RRULE:FREQ=YEARLY) for a contact's
 * birthday or anniversary. It starts in the birth year (or the reference year when the card
 * gives none, or one before 1900) and carries no age. 29 February recurs on the last day of
 * February (BYMONTHDAY=-1), so it is shown in common years too. The text depends only on the
 * card, so regenerating an unchanged card writes nothing.
 */
export function birthdayEvent(uid: string, name: string, date: CardDate): string {
  const year = date.year !== null && date.year >= FIRST_YEAR ? date.year : REFERENCE_YEAR;
  const leapDay = date.month === 2 && date.day === 29;
  const startYear = leapDay && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? REFERENCE_YEAR : year;
  const start = `${pad(startYear, 4)}${pad(date.month)}${pad(date.day)}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac//Contact birthdays//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:19700101T000000Z',
    `DTSTART;VALUE=DATE:${start}`,
    'DURATION:P1D',
    leapDay ? 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1' : 'RRULE:FREQ=YEARLY',
    `SUMMARY:${icalText(eventTitle(name, date))}`,
    `CATEGORIES:${date.kind === 'birthday' ? 'Birthday' : 'Anniversary'}`,
    'TRANSP:TRANSPARENT',
    'CLASS:PUBLIC',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ];
  return lines.join('\r\n');
}
