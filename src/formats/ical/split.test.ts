import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IcalError } from './errors.js';
import { MAX_COMPONENTS_PER_OBJECT } from './limits.js';
import { parseCalendar } from './parse.js';
import { splitCalendarText } from './split.js';

const zone = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'END:VTIMEZONE',
];
const event = (i: number, extra: string[] = []): string[] => [
  'BEGIN:VEVENT',
  `UID:e${i % 7000}`,
  'DTSTAMP:20260101T000000Z',
  `DTSTART;TZID=Europe/Berlin:20260101T${String(10 + (i % 10)).padStart(2, '0')}0000`,
  `SUMMARY:Event ${i} with a long title that is folded over two lines because it is longer than seventy`,
  ' -five octets',
  ...extra,
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'TRIGGER:-PT5M',
  'DESCRIPTION:x',
  'END:VALARM',
  'END:VEVENT',
];
const calendar = (...body: string[][]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Big//EN', ...body.flat(), 'END:VCALENDAR', ''].join('\r\n');

describe('formats/ical/split: an .ics file cut into calendar object resources (RFC 4791 §4.1)', () => {
  it('12,000 components (6,000 events with alarms, more than one object may hold) give 6,000 objects, each with its zone, lines kept as written', () => {
    const text = calendar(['X-WR-CALNAME:Big\\, old'], zone, ...Array.from({ length: 6000 }, (_, i) => event(i)));
    assert.ok(12_000 > MAX_COMPONENTS_PER_OBJECT);
    const { objects, skipped, calendarName } = splitCalendarText(text);
    assert.equal(objects.length, 6000);
    assert.deepEqual(skipped, []);
    assert.equal(calendarName, 'Big, old', 'X-WR-CALNAME unescaped (RFC 5545 §3.3.11)');
    const first = objects[0]!;
    assert.equal(first.uid, 'e0');
    assert.match(
      first.text,
      /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-\/\/Test\/\/Big\/\/EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/,
    );
    assert.match(first.text, /longer than seventy\r\n -five octets\r\n/, 'a folded line stays folded, as written');
    assert.match(first.text, /END:VEVENT\r\nEND:VCALENDAR\r\n$/);
    assert.doesNotMatch(first.text, /X-WR-CALNAME/, 'calendar properties other than PRODID are left out');
    const parsed = parseCalendar(first.text);
    assert.equal(
      parsed.getFirstSubcomponent('vevent')?.getFirstPropertyValue('summary'),
      `Event 0 with a long title that is folded over two lines because it is longer than seventy-five octets`,
    );
  });

  it('a UID whose master and override stand in different VCALENDARs is one object, with both components', () => {
    const override = event(1, ['RECURRENCE-ID;TZID=Europe/Berlin:20260108T110000']);
    const text = calendar(zone, event(1, ['RRULE:FREQ=WEEKLY;COUNT=3']), event(2)) + calendar(override);
    const { objects } = splitCalendarText(text);
    assert.deepEqual(
      objects.map((o) => o.uid),
      ['e1', 'e2'],
    );
    const e1 = parseCalendar(objects[0]!.text);
    assert.equal(e1.getAllSubcomponents('vevent').length, 2);
    assert.equal(e1.getAllSubcomponents('vtimezone').length, 1, 'the zone is given once');
  });
});

describe('formats/ical/split: zones, UIDs and structure (RFC 5545 §3.6.5, §3.8.4.7)', () => {
  it('each object keeps the PRODID of its own VCALENDAR', () => {
    const text = [
      calendar(event(1)).replace('-//Test//Big//EN', 'a'),
      calendar(event(2)).replace('-//Test//Big//EN', 'b'),
    ].join('');
    assert.deepEqual(
      splitCalendarText(text).objects.map((o) => /PRODID:(\w)/.exec(o.text)?.[1]),
      ['a', 'b'],
    );
  });

  it('RFC 5545 §3.2.19: only the zones an object names; a zone named but not defined comes from Intl when known, an unknown one is left to the write path', () => {
    const quoted = [
      'BEGIN:VEVENT',
      'UID:ny',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE-TIME;TZID="America/New_York":20260101T100000',
      'EXDATE;TZID=Mars/Olympus:20260102T100000',
      'END:VEVENT',
    ];
    const utc = ['BEGIN:VEVENT', 'UID:utc', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260101T100000Z', 'END:VEVENT'];
    const { objects } = splitCalendarText(calendar(zone, quoted, utc));
    const ny = objects.find((o) => o.uid === 'ny')!.text;
    assert.match(ny, /BEGIN:VTIMEZONE\r\nTZID:America\/New_York/, 'made from Intl');
    assert.doesNotMatch(ny, /TZID:Europe\/Berlin/, 'a zone the object does not name is not copied');
    assert.doesNotMatch(ny, /TZID:Mars/);
    assert.doesNotMatch(objects.find((o) => o.uid === 'utc')!.text, /VTIMEZONE/);
  });

  it('components without UID are reported, not guessed at', () => {
    const noUid = [
      'BEGIN:VEVENT',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260101T100000Z',
      'SUMMARY:No uid',
      'END:VEVENT',
    ];
    const { objects, skipped } = splitCalendarText(calendar(noUid, event(3)));
    assert.deepEqual(
      objects.map((o) => o.uid),
      ['e3'],
    );
    assert.deepEqual(skipped, [{ what: 'VEVENT No uid', reason: 'no UID' }]);
  });

  it('a UID line inside an alarm is not the event UID; LF-only files and a byte order mark are read', () => {
    const text = calendar([
      'BEGIN:VEVENT',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260101T100000Z',
      'BEGIN:VALARM',
      'UID:alarm-uid',
      'ACTION:DISPLAY',
      'TRIGGER:-PT5M',
      'DESCRIPTION:x',
      'END:VALARM',
      'UID:the-event',
      'END:VEVENT',
    ]);
    const { objects } = splitCalendarText('\uFEFF' + text.replace(/\r\n/g, '\n'));
    assert.deepEqual(
      objects.map((o) => o.uid),
      ['the-event'],
    );
  });

  it('structure errors are CALDAV:valid-calendar-data', () => {
    for (const bad of [
      'hello\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR',
      'BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VTODO\r\nEND:VCALENDAR',
      `BEGIN:VCALENDAR\r\n${'BEGIN:VEVENT\r\n'.repeat(20)}`,
    ])
      assert.throws(() => splitCalendarText(bad), IcalError, JSON.stringify(bad.slice(0, 40)));
  });
});
