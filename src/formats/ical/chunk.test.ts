import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkCalendarText } from './chunk.js';
import { IcalError } from './errors.js';
import { parseCalendars } from './parse.js';
import { splitCalendars } from './split.js';

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
const event = (i: number): string[] => [
  'BEGIN:VEVENT',
  `UID:e${i % 7000}`,
  'DTSTAMP:20260101T000000Z',
  `DTSTART;TZID=Europe/Berlin:20260101T${String(10 + (i % 10)).padStart(2, '0')}0000`,
  `SUMMARY:Event ${i} with a long title that is folded over two lines because it is longer than seventy`,
  ' -five octets',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'TRIGGER:-PT5M',
  'DESCRIPTION:x',
  'END:VALARM',
  'END:VEVENT',
];

describe('formats/ical/chunk: a large calendar parsed in pieces within the per-object limits', () => {
  it('12,000 components (6,000 events with alarms) parse in pieces; every piece has the header and the zones; per-UID split is the same', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//Big//EN',
      'X-WR-CALNAME:Big',
      ...zone,
      ...Array.from({ length: 6000 }, (_, i) => event(i)).flat(),
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    assert.throws(() => parseCalendars(text), IcalError, 'one piece is over the limit');
    const pieces = chunkCalendarText(text);
    assert.equal(pieces.length, 12);
    for (const p of pieces) {
      assert.match(
        p,
        /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-\/\/Test\/\/Big\/\/EN\r\nX-WR-CALNAME:Big\r\nBEGIN:VTIMEZONE/,
      );
      assert.match(p, /END:VCALENDAR\r\n$/);
    }
    const { objects, skipped } = splitCalendars(pieces.flatMap((p) => parseCalendars(p)));
    assert.equal(objects.length, 6000);
    assert.deepEqual(skipped, []);
    assert.match(objects[0]!.text, /TZID:Europe\/Berlin/);
    assert.match(objects[0]!.text, /seventy-five octets/, 'folded lines are unfolded by the parser, not cut');
  });

  it('a UID whose components stand in different pieces is still one object', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:x',
      ...event(1),
      ...event(2),
      ...event(7001),
      'END:VCALENDAR',
    ].join('\n');
    const pieces = chunkCalendarText(text, 2);
    assert.equal(pieces.length, 3);
    const { objects } = splitCalendars(pieces.flatMap((p) => parseCalendars(p)));
    assert.deepEqual(objects.map((o) => o.uid).sort(), ['e1', 'e2']);
  });

  it('several VCALENDARs each keep their own header; structure errors are valid-calendar-data', () => {
    const two = [
      'BEGIN:VCALENDAR',
      'PRODID:a',
      'VERSION:2.0',
      ...event(1),
      'END:VCALENDAR',
      'BEGIN:VCALENDAR',
      'PRODID:b',
      'VERSION:2.0',
      ...event(2),
      'END:VCALENDAR',
    ].join('\r\n');
    const pieces = chunkCalendarText(two);
    assert.deepEqual(
      pieces.map((p) => /PRODID:(\w)/.exec(p)?.[1]),
      ['a', 'b'],
    );
    assert.throws(() => chunkCalendarText('hello\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR'), IcalError);
    assert.throws(() => chunkCalendarText('BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR'), IcalError);
    assert.throws(() => chunkCalendarText('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n'), IcalError);
  });
});
