/** Zones from Intl (intl-zones.ts): wall clock ⇄ instant, and the VTIMEZONE (RFC 5545 §3.6.5) derived from them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICAL } from './ical.js';
import { completeZones, intlZone, offsetAt, utcToWall, vtimezone, wallToUtc } from './intl-zones.js';
import { parseCalendar } from './parse.js';
import { toMs } from './time.js';

describe('time zones from Intl', () => {
  it('a wall-clock time in a DST gap moves forward (RFC 5545 §3.3.5)', () => {
    assert.equal(
      wallToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin').toISOString(),
      '2026-03-29T01:30:00.000Z',
    );
    assert.deepEqual(utcToWall(new Date('2026-07-01T10:00:00Z'), 'Europe/Berlin'), {
      year: 2026,
      month: 7,
      day: 1,
      hour: 12,
      minute: 0,
      second: 0,
    });
    assert.equal(offsetAt(new Date('2026-01-15T12:00:00Z'), 'America/New_York'), -300);
  });

  it('the derived VTIMEZONE gives ical.js the offsets Intl gives, on both sides of each change', () => {
    for (const tzid of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata']) {
      const zone = intlZone(tzid, 2026)!;
      for (const iso of [
        '2026-01-15T12:00:00Z',
        '2026-03-28T12:00:00Z',
        '2026-03-30T12:00:00Z',
        '2026-07-01T12:00:00Z',
        '2026-10-24T12:00:00Z',
        '2026-11-02T12:00:00Z',
      ]) {
        const w = utcToWall(new Date(iso), tzid);
        const t = new ICAL.Time({ ...w, isDate: false }, zone);
        assert.equal(new Date(toMs(t)).toISOString(), new Date(iso).toISOString(), `${tzid} ${iso}`);
      }
    }
    assert.match(vtimezone('Asia/Kolkata', 2026), /TZOFFSETTO:\+0530/);
  });

  it('completeZones adds a VTIMEZONE for a TZID named but not defined, and leaves unknown names alone', () => {
    const root = parseCalendar(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:t',
        'BEGIN:VEVENT',
        'UID:a',
        'DTSTAMP:20260101T000000Z',
        'DTSTART;TZID=Europe/Paris:20260601T100000',
        'DTEND;TZID=Not/AZone:20260601T110000',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    completeZones(root);
    assert.deepEqual(
      root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')),
      ['Europe/Paris'],
    );
    const start = root.getFirstSubcomponent('vevent')!.getFirstPropertyValue('dtstart') as InstanceType<
      typeof ICAL.Time
    >;
    assert.equal(new Date(toMs(start)).toISOString(), '2026-06-01T08:00:00.000Z');
  });
});
