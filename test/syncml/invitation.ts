/**
 * The scheduled event the SyncML scheduling tests send (RFC 6638 §3.2.1): `organizer` invites two
 * users of the test server (name@example.com), one required and one optional, with an X-
 * property only the organizer's data holds; and helpers to read an ATTENDEE line back.
 */
const mail = (user: string): string => `mailto:${user}@example.com`;
const cn = (user: string): string => user.charAt(0).toUpperCase() + user.slice(1);

export function invitation(
  uid: string,
  summary: string,
  organizer: string,
  invitees: readonly [string, string],
): string {
  const [required, optional] = invitees;
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261201T000000Z',
    'DTSTART:20270310T100000Z',
    'DTEND:20270310T110000Z',
    `SUMMARY:${summary}`,
    `ORGANIZER;CN=${cn(organizer)}:${mail(organizer)}`,
    `ATTENDEE;CN=${cn(organizer)};PARTSTAT=ACCEPTED;ROLE=CHAIR:${mail(organizer)}`,
    `ATTENDEE;CN=${cn(required)};PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:${mail(required)}`,
    `ATTENDEE;CN=${cn(optional)};PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT;RSVP=TRUE:${mail(optional)}`,
    `X-ORGANIZER-NOTE:kept by ${organizer}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** iCalendar text with its folded lines joined. */
export const unfold = (s: string): string => s.replace(/\r?\n[ \t]/g, '');

/** The ATTENDEE line of `user` in an iCalendar text ('' when there is none). */
export function attendee(text: string, user: string): string {
  return (
    unfold(text)
      .split(/\r?\n/)
      .find((l) => l.startsWith('ATTENDEE') && l.toLowerCase().endsWith(`:${mail(user)}`)) ?? ''
  );
}
