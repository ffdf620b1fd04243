import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICALENDAR_TYPE, renderCalendarData } from './calendar-data.js';
import { expandCalendarTextWork, expandCalendarWork } from './expand.js';
import { indexCalendarObject } from './object-index.js';
import { parseCalendar } from './parse.js';
import { ABSOLUTE, B, cal, intervalInstants, ZONE } from './recurring-shapes.fixture.js';
import { timezoneFromCalendar } from './time.js';
import { runNow } from './work.js';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-01T00:00:00Z');

describe('RFC 4791 §9.6.5 CALDAV:expand from stored instance intervals', () => {
  it('writes the same instances as walking the rule, for every window around every instance', () => {
    let compared = 0;
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      const stored = { intervals: ix.intervals as Float64Array, until: ix.intervalsUntil };
      for (const t of intervalInstants(stored.intervals, true)) {
        for (const s of [t - DAY, t - 1, t, t + 1]) {
          for (const len of [1, 3_600_000, 2 * DAY, 40 * DAY]) {
            const range = { start: s, end: s + len };
            const walked = runNow(expandCalendarWork(root, range, null)).toString();
            const read = runNow(expandCalendarWork(root, range, null, stored)).toString();
            assert.equal(read, walked, `${name}: [${new Date(s).toISOString()}, +${len} ms)`);
            compared += 1;
          }
        }
      }
    }
    assert.ok(compared > 300, `${compared} windows compared`);
  });

  it('reads them: intervals moved by a day move the instances written', () => {
    const root = cal(['DTSTART:20240304T100000Z', 'DTEND:20240304T110000Z', 'RRULE:FREQ=DAILY;COUNT=3']);
    const ix = indexCalendarObject(root, 'VEVENT', NOW);
    const moved = (ix.intervals as Float64Array).map((v, i) => (i % 3 === 2 ? v : v + DAY));
    const range = { start: Date.parse('2024-03-01T00:00:00Z'), end: Date.parse('2024-03-10T00:00:00Z') };
    const text = runNow(expandCalendarWork(root, range, null, { intervals: moved, until: null })).toString();
    assert.match(text, /DTSTART:20240307T100000Z/);
    assert.doesNotMatch(text, /DTSTART:20240304T100000Z/);
  });

  it('walks the rule for a range past the horizon of the intervals', () => {
    const root = cal(['DTSTART:20240304T100000Z', 'DTEND:20240304T110000Z', 'RRULE:FREQ=WEEKLY']);
    const horizon = Date.parse('2024-03-05T00:00:00Z');
    const ix = indexCalendarObject(root, 'VEVENT', NOW);
    const early = (ix.intervals as Float64Array).slice(0, 3);
    const range = { start: Date.parse('2024-03-11T00:00:00Z'), end: Date.parse('2024-03-12T00:00:00Z') };
    const text = runNow(expandCalendarWork(root, range, null, { intervals: early, until: horizon })).toString();
    assert.match(text, /DTSTART:20240311T100000Z/);
  });
});

const parsedCal = (body: string[]) =>
  parseCalendar(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:x', ...ZONE, ...body, 'END:VCALENDAR', ''].join('\r\n'));
const SHAPES: [string, string[]][] = [
  ...ABSOLUTE.map(([name, events]): [string, string[]] => [
    name,
    events.flatMap((lines) => ['BEGIN:VEVENT', 'UID:u', 'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT']),
  ]),
  [
    'alarm, parameters kept and dropped, a quoted TZID with a colon, a long folded line, non-ASCII',
    [
      'BEGIN:VEVENT',
      'UID:a',
      'DTSTAMP:20240101T000000Z',
      `DTSTART;X-KEEP="a:b;c";VALUE=DATE-TIME;${B}:20240304T100000`,
      `DTEND;X-A-VERY-LONG-PARAMETER-NAME=some-long-value-here;X-ANOTHER=more-text-to-fold;${B}:20240304T110000`,
      'SUMMARY:Réunion d’équipe — ünïcödé',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:x',
      'TRIGGER;VALUE=DATE-TIME:20240304T090000Z',
      'END:VALARM',
      'END:VEVENT',
    ],
  ],
  [
    'floating times, read in the request zone',
    [
      'BEGIN:VEVENT',
      'UID:f',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240304T100000',
      'DURATION:PT1H',
      'RRULE:FREQ=DAILY;COUNT=5',
      'END:VEVENT',
    ],
  ],
  [
    'all-day series (written by ical.js)',
    [
      'BEGIN:VEVENT',
      'UID:d',
      'DTSTAMP:20240101T000000Z',
      'DTSTART;VALUE=DATE:20240304',
      'RRULE:FREQ=DAILY;COUNT=5',
      'END:VEVENT',
    ],
  ],
  [
    'task with DUE, a lone event and a journal',
    [
      'BEGIN:VTODO',
      'UID:t',
      'DTSTAMP:20240101T000000Z',
      `DTSTART;${B}:20240304T100000`,
      `DUE;${B}:20240304T120000`,
      'RRULE:FREQ=DAILY;COUNT=3',
      'END:VTODO',
    ],
  ],
  [
    'lone event and journal',
    [
      'BEGIN:VEVENT',
      'UID:l',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240305T100000Z',
      'DTEND:20240305T100000Z',
      'END:VEVENT',
      'BEGIN:VJOURNAL',
      'UID:j',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240305T100000Z',
      'END:VJOURNAL',
    ],
  ],
];
const berlin = timezoneFromCalendar(
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:x', ...ZONE, 'END:VCALENDAR'].join('\r\n'),
);

describe('RFC 4791 §9.6.5 CALDAV:expand written as text (instance-text.ts)', () => {
  it('is the text ical.js writes for the expanded VCALENDAR, in every window and zone', () => {
    let compared = 0;
    for (const [name, body] of SHAPES) {
      const root = parsedCal(body);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      const stored = ix.intervals ? { intervals: ix.intervals, until: ix.intervalsUntil } : null;
      for (
        let s = Date.parse('2024-02-25T00:00:00Z');
        s < Date.parse('2024-05-01T00:00:00Z');
        s += 2 * DAY + 3_600_000
      ) {
        for (const zone of stored ? [null] : [null, berlin]) {
          const range = { start: s, end: s + 9 * DAY };
          const tree = runNow(expandCalendarWork(root, range, zone, stored)).toString() + '\r\n';
          const text = runNow(expandCalendarTextWork(root, range, zone, stored));
          assert.equal(text, tree, `${name}: [${new Date(s).toISOString()}, +9 days)`);
          compared += 1;
        }
      }
    }
    assert.ok(compared > 200, `${compared} windows compared`);
  });

  it("writes a shared object's component once, not once per expanding request", () => {
    const root = cal(['DTSTART:20240304T100000Z', 'DTEND:20240304T110000Z', 'RRULE:FREQ=DAILY;COUNT=30']);
    const vevent = root.getFirstSubcomponent('vevent')!;
    let written = 0;
    const write = vevent.toString.bind(vevent);
    vevent.toString = () => {
      written += 1;
      return write();
    };
    const texts = [0, 5, 10].map((d) => {
      const start = Date.parse('2024-03-04T00:00:00Z') + d * DAY;
      return runNow(expandCalendarTextWork(root, { start, end: start + 3 * DAY }, null));
    });
    assert.equal(written, 1);
    assert.match(texts[2]!, /RECURRENCE-ID:20240314T100000Z/);
  });
});

describe('RFC 5545 §3.1 calendar-data transforms write no empty content line', () => {
  it('expand, limit-recurrence-set, a CALDAV:comp selection and jCal-free rendering end every line with one CRLF', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:x',
      'BEGIN:VEVENT',
      'UID:u',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240304T100000Z',
      'DURATION:PT1H',
      'RRULE:FREQ=DAILY;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:u',
      'DTSTAMP:20240101T000000Z',
      'RECURRENCE-ID:20240305T100000Z',
      'DTSTART:20240305T120000Z',
      'DURATION:PT1H',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const range = { start: Date.parse('2024-03-01T00:00:00Z'), end: Date.parse('2024-03-10T00:00:00Z') };
    const all = { name: 'VCALENDAR', allProps: true, props: [], allComps: true, comps: [] };
    for (const req of [
      { contentType: ICALENDAR_TYPE, expand: range },
      { contentType: ICALENDAR_TYPE, expand: range, comp: all },
      { contentType: ICALENDAR_TYPE, limitRecurrenceSet: range },
      { contentType: ICALENDAR_TYPE, comp: all },
    ] as const) {
      const out = renderCalendarData(text, req, null);
      assert.ok(out.endsWith('END:VCALENDAR\r\n') && !out.endsWith('\r\n\r\n'), JSON.stringify(req));
      assert.doesNotMatch(out, /\r\n\r\n/, `${JSON.stringify(req)}: an empty line`);
      assert.equal(out.split('BEGIN:VEVENT').length - 1, Object.hasOwn(req, 'expand') ? 3 : 2);
    }
  });
});
