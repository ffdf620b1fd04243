import { berlinVtimezone } from '../../src/formats/ical/zone-fixture.js';

/** The body of a VCALENDAR holding one VEVENT with `uid` and these content lines (DTSTAMP given). */
export function eventBody(uid: string, lines: readonly string[]): Uint8Array {
  return new TextEncoder().encode(
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//t//EN',
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20240101T000000Z',
      ...lines,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
}

/** Europe/Berlin as clients embed it in every object, as content lines. */
export const BERLIN_VTIMEZONE: readonly string[] = berlinVtimezone();
