import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICAL, type IcalTimezone } from './ical.js';
import { parseCalendar } from './parse.js';
import { clearZoneOffsets, utcMs, zoneKey, zoneOffsetStats } from './zone-offsets.js';
import { berlinVtimezone } from './zone-fixture.js';

const BERLIN = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...berlinVtimezone(), 'END:VCALENDAR', ''].join(
  '\r\n',
);

/** A fresh Timezone object of the Berlin definition, as every parse makes one. */
function berlin(): IcalTimezone {
  return new ICAL.Timezone({ component: parseCalendar(BERLIN).getFirstSubcomponent('vtimezone') });
}

describe('zone offsets (our own memo; ical.js is not altered)', () => {
  it('every parse of one VTIMEZONE definition resolves its TZID to one shared zone', () => {
    /** DTSTART;TZID=Europe/Berlin:20240601T120000 of an event beside the VTIMEZONE `zone`. */
    const start = (zone: string): InstanceType<typeof ICAL.Time> => {
      const text = zone.replace(
        'END:VCALENDAR',
        [
          'BEGIN:VEVENT',
          'UID:x',
          'DTSTAMP:20240101T000000Z',
          'DTSTART;TZID=Europe/Berlin:20240601T120000',
          'END:VEVENT',
          'END:VCALENDAR',
        ].join('\r\n'),
      );
      return parseCalendar(text).getFirstSubcomponent('vevent')!.getFirstPropertyValue('dtstart') as InstanceType<
        typeof ICAL.Time
      >;
    };
    const a = start(BERLIN);
    const b = start(BERLIN);
    assert.equal(a.zone, b.zone, 'one zone object for one definition');
    assert.equal(a.toUnixTime() * 1000, Date.UTC(2024, 5, 1, 10), 'CEST');
    const other = start(
      BERLIN.replace('TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200', 'TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0300'),
    );
    assert.notEqual(other.zone, a.zone, 'another definition of the same TZID is another zone');
    assert.equal(other.toUnixTime() * 1000, Date.UTC(2024, 5, 1, 9));
  });

  it('utcMs gives what ical.js toUnixTime gives, across both DST transitions', () => {
    clearZoneOffsets();
    const zone = berlin();
    for (const [month, day, hour] of [
      [1, 15, 12],
      [3, 31, 1],
      [3, 31, 3],
      [7, 1, 0],
      [10, 27, 1],
      [10, 27, 3],
      [12, 31, 23],
    ] as const) {
      const t = new ICAL.Time({ year: 2024, month, day, hour, minute: 30, second: 0, isDate: false }, zone);
      const ours = utcMs(t);
      const fresh = new ICAL.Time({ year: 2024, month, day, hour, minute: 30, second: 0, isDate: false }, berlin());
      assert.equal(ours, fresh.toUnixTime() * 1000, `2024-${month}-${day} ${hour}:30`);
    }
    assert.equal(
      utcMs(new ICAL.Time({ year: 2024, month: 7, day: 1, hour: 12, minute: 0, second: 0, isDate: false }, zone)),
      Date.UTC(2024, 6, 1, 10),
    );
  });

  it('equal definitions share one key and one memo; UTC and floating are not memoised', () => {
    clearZoneOffsets();
    const a = berlin();
    const b = berlin();
    assert.notEqual(a, b);
    assert.equal(zoneKey(a), zoneKey(b));
    assert.equal(zoneKey(null), '-');
    assert.equal(zoneKey(ICAL.Timezone.utcTimezone), 'zUTC');
    const at = (zone: IcalTimezone): ReturnType<typeof ICAL.Time.prototype.clone> =>
      new ICAL.Time({ year: 2024, month: 5, day: 5, hour: 9, minute: 0, second: 0, isDate: false }, zone);
    const before = zoneOffsetStats();
    assert.equal(utcMs(at(a)), utcMs(at(b)));
    const after = zoneOffsetStats();
    assert.deepEqual(
      [after.misses - before.misses, after.hits - before.hits],
      [1, 1],
      "the second zone object reused the first one's answer",
    );
    utcMs(at(ICAL.Timezone.utcTimezone));
    assert.deepEqual(zoneOffsetStats(), { ...after, hits: after.hits, misses: after.misses });
  });
});

describe("zone offsets: the memo's keys", () => {
  it('the memo keys every minute and second apart: utcMs equals ical.js on every minute of both DST days and across years', () => {
    clearZoneOffsets();
    const zone = berlin();
    const fresh = berlin();
    const at = (z: IcalTimezone, year: number, month: number, day: number, hour: number, minute: number, second = 0) =>
      new ICAL.Time({ year, month, day, hour, minute, second, isDate: false }, z);
    for (const [month, day] of [
      [3, 31],
      [10, 27],
    ] as const) {
      for (let m = 0; m < 24 * 60; m++) {
        const [hour, minute] = [Math.floor(m / 60), m % 60];
        const ours = utcMs(at(zone, 2024, month, day, hour, minute));
        assert.equal(
          ours,
          at(fresh, 2024, month, day, hour, minute).toUnixTime() * 1000,
          `${month}-${day} ${hour}:${minute}`,
        );
      }
    }
    // The last second before each change and the first after it; the same local time in other years.
    for (const [year, month, day, hour, minute, second] of [
      [2024, 3, 31, 1, 59, 59],
      [2024, 3, 31, 3, 0, 0],
      [2024, 10, 27, 1, 59, 59],
      [2024, 10, 27, 3, 0, 0],
      [1999, 7, 1, 12, 0, 0],
      [2099, 1, 1, 12, 0, 0],
      [9999, 12, 31, 23, 59, 59],
    ] as const) {
      assert.equal(
        utcMs(at(zone, year, month, day, hour, minute, second)),
        at(fresh, year, month, day, hour, minute, second).toUnixTime() * 1000,
        `${year}-${month}-${day} ${hour}:${minute}:${second}`,
      );
    }
  });
});
