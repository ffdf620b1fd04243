/**
 * validateCalendarObject's value check (RFC 4791 §5.3.2.1 valid-calendar-data; RFC 5545 §3.2.19
 * a VTIMEZONE for every TZID): a VTIMEZONE definition whose values all parsed once is not parsed
 * again in a later object (issue #20: clients embed the zone in every object), and any other
 * definition — another zone, or the same TZID with a broken value — is still checked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICAL, type IcalProperty } from './ical.js';
import { parseCalendar } from './parse.js';
import { validateCalendarObject } from './validate.js';

const zone = (tzid: string, offsetFrom: string) => [
  'BEGIN:VTIMEZONE',
  `TZID:${tzid}`,
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  `TZOFFSETFROM:${offsetFrom}`,
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const object = (uid: string, zoneLines: string[], tzid: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//t//EN',
    ...zoneLines,
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20240101T000000Z',
    `DTSTART;TZID=${tzid}:20240102T100000`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

const limits = { components: ['VEVENT'] };

/** The names of the properties whose values `run` asked ical.js to parse. */
function parsedDuring(run: () => void): string[] {
  const proto = ICAL.Property.prototype as { getValues: (this: IcalProperty) => unknown[] };
  const getValues = proto.getValues;
  const names: string[] = [];
  proto.getValues = function (this: IcalProperty) {
    names.push(this.name);
    return getValues.call(this);
  };
  try {
    run();
  } finally {
    proto.getValues = getValues;
  }
  return names;
}

describe('validateCalendarObject: VTIMEZONE values (RFC 5545 §3.2.19, §3.6.5)', () => {
  it('a definition checked once is not parsed again in the next object that embeds it', () => {
    const tz = zone('Test/Checked-Once', '+0200');
    const first = parsedDuring(() =>
      validateCalendarObject(parseCalendar(object('a', tz, 'Test/Checked-Once')), limits),
    );
    assert.ok(first.includes('tzoffsetfrom'), first.join(' '));
    const second = parsedDuring(() =>
      validateCalendarObject(parseCalendar(object('b', tz, 'Test/Checked-Once')), limits),
    );
    assert.ok(!second.includes('tzoffsetfrom') && !second.includes('tzid'), second.join(' '));
    assert.ok(second.includes('dtstart'), "the event's own values are still parsed");
  });

  it('the same TZID with a broken value after a good definition is refused as valid-calendar-data', () => {
    const good = zone('Test/Same-Id', '+0200');
    validateCalendarObject(parseCalendar(object('c', good, 'Test/Same-Id')), limits);
    const broken = zone('Test/Same-Id', 'two hours');
    assert.throws(
      () => validateCalendarObject(parseCalendar(object('d', broken, 'Test/Same-Id')), limits),
      (err: Error & { code?: string }) => err.code === 'valid-calendar-data' && /TZOFFSETFROM/.test(err.message),
    );
    // Refused again: a broken definition is never taken as checked.
    assert.throws(() => validateCalendarObject(parseCalendar(object('e', broken, 'Test/Same-Id')), limits));
  });

  it('a TZID without its VTIMEZONE is refused whatever definitions were seen before', () => {
    validateCalendarObject(parseCalendar(object('f', zone('Test/Seen', '+0200'), 'Test/Seen')), limits);
    assert.throws(
      () => validateCalendarObject(parseCalendar(object('g', [], 'Test/Seen')), limits),
      /has no VTIMEZONE in the object/,
    );
  });
});
