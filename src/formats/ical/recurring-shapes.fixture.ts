/** Recurring VEVENT shapes with absolute times (UTC or Europe/Berlin), shared by the interval and busy-time tests. */
import { BERLIN_VTIMEZONE } from './berlin-zone.fixture.js';
import { parseCalendar } from './parse.js';

export const ZONE = BERLIN_VTIMEZONE;
export const cal = (...events: string[][]) =>
  parseCalendar(
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:x',
      ...ZONE,
      ...events.flatMap((lines) => ['BEGIN:VEVENT', 'UID:u', 'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT']),
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );

export const B = 'TZID=Europe/Berlin';
/** Recurring shapes with absolute times only: the intervals must be precomputed for them. */
export const ABSOLUTE: [string, string[][]][] = [
  ['weekly across DST, COUNT', [[`DTSTART;${B}:20240301T090000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=10']]],
  [
    'daily UNTIL on an instance, EXDATE',
    [
      [
        `DTSTART;${B}:20240320T230000`,
        `DTEND;${B}:20240321T010000`,
        'RRULE:FREQ=DAILY;UNTIL=20240405T220000Z',
        `EXDATE;${B}:20240331T230000`,
      ],
    ],
  ],
  [
    'monthly nth weekday, override moved earlier and later',
    [
      [`DTSTART;${B}:20240105T100000`, 'DURATION:PT30M', 'RRULE:FREQ=MONTHLY;BYDAY=1FR;COUNT=6'],
      [`RECURRENCE-ID;${B}:20240301T100000`, `DTSTART;${B}:20240229T080000`, 'DURATION:PT30M'],
      [`RECURRENCE-ID;${B}:20240405T100000`, `DTSTART;${B}:20240407T100000`, 'DURATION:PT2H'],
    ],
  ],
  ['zero-length instances', [['DTSTART:20240310T120000Z', 'RRULE:FREQ=DAILY;COUNT=5']]],
  [
    'RDATE periods',
    [
      [
        'DTSTART:20240310T120000Z',
        'DTEND:20240310T130000Z',
        'RDATE;VALUE=PERIOD:20240312T080000Z/20240312T100000Z,20240315T080000Z/PT30M',
      ],
    ],
  ],
  [
    'THISANDFUTURE',
    [
      [`DTSTART;${B}:20240304T100000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=8'],
      [`RECURRENCE-ID;RANGE=THISANDFUTURE;${B}:20240318T100000`, `DTSTART;${B}:20240318T140000`, 'DURATION:PT1H'],
    ],
  ],
  [
    'override moved onto another occurrence, override with only a new summary',
    [
      [`DTSTART;${B}:20240304T100000`, `DTEND;${B}:20240304T110000`, 'RRULE:FREQ=DAILY;COUNT=6', 'SUMMARY:series'],
      [`RECURRENCE-ID;${B}:20240305T100000`, `DTSTART;${B}:20240306T100000`, `DTEND;${B}:20240306T110000`],
      [`RECURRENCE-ID;${B}:20240308T100000`, `DTSTART;${B}:20240308T100000`, `DTEND;${B}:20240308T110000`, 'SUMMARY:x'],
    ],
  ],
  ['never ending', [[`DTSTART;${B}:20240301T090000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE']]],
];

/** The instants of (start, end, positive) instance triples: their starts, and their ends too unless `startsOnly`. */
export function intervalInstants(triples: Float64Array, startsOnly = false): Set<number> {
  const out = new Set<number>();
  for (let k = 0; k + 2 < triples.length; k += 3) {
    out.add(triples[k] as number);
    if (!startsOnly) out.add(triples[k + 1] as number);
  }
  return out;
}
