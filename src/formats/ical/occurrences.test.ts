/**
 * The web app's calendar occurrences (occurrences.ts) come from the server's recurrence walk:
 * RFC 5545 §3.8.5 RRULE/EXDATE, §3.8.4.4 overrides, §3.3.5 floating and TZID times, and the
 * bounds of limits.ts, so a rule that never produces an instance cannot hang a browser tab.
 */
process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCalendar } from './edit-time.js';
import { expand } from './occurrences.js';
import { berlinVtimezone } from './zone-fixture.js';

const cal = (...lines: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:t', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const ev = (...lines: string[]): string[] => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];
const iso = (d: Date): string => d.toISOString();

describe('occurrences of a calendar object (RFC 5545 §3.8.5, §3.8.4.4)', () => {
  it('a weekly series with an EXDATE and a moved instance: the exception is gone, the override at its new time', () => {
    const vcal = parseCalendar(
      cal(
        ...ev(
          'UID:w',
          'DTSTART:20261201T090000Z',
          'DTEND:20261201T100000Z',
          'RRULE:FREQ=WEEKLY;COUNT=5',
          'EXDATE:20261215T090000Z',
          'SUMMARY:Standup',
        ),
        ...ev(
          'UID:w',
          'RECURRENCE-ID:20261208T090000Z',
          'DTSTART:20261208T140000Z',
          'DTEND:20261208T150000Z',
          'SUMMARY:Standup (moved)',
        ),
      ),
    );
    const got = expand(vcal, new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).sort(
      (a, b) => +a.start - +b.start,
    );
    assert.deepEqual(
      got.map((o) => [iso(o.start), o.title, o.recurrenceId, o.first]),
      [
        ['2026-12-01T09:00:00.000Z', 'Standup', '2026-12-01T09:00:00Z', true],
        ['2026-12-08T14:00:00.000Z', 'Standup (moved)', '2026-12-08T09:00:00Z', false],
        ['2026-12-22T09:00:00.000Z', 'Standup', '2026-12-22T09:00:00Z', false],
        ['2026-12-29T09:00:00.000Z', 'Standup', '2026-12-29T09:00:00Z', false],
      ],
    );
    assert.ok(got.every((o) => o.recurring));
  });

  it('only occurrences overlapping [from, to) (RFC 4791 §9.9), a non-recurring event has no RECURRENCE-ID', () => {
    const vcal = parseCalendar(
      cal(...ev('UID:s', 'DTSTART:20261210T230000Z', 'DTEND:20261211T010000Z', 'SUMMARY:Late')),
    );
    assert.equal(expand(vcal, new Date('2026-12-11T00:00:00Z'), new Date('2026-12-12T00:00:00Z')).length, 1);
    assert.equal(expand(vcal, new Date('2026-12-11T01:00:00Z'), new Date('2026-12-12T00:00:00Z')).length, 0);
    const [o] = expand(vcal, new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    assert.equal(o?.recurrenceId, null);
    assert.equal(o?.recurring, false);
    assert.equal(o?.first, true);
  });

  it("a DATE event is all-day from the viewer's midnight; floating times are the viewer's wall clock (§3.3.5)", () => {
    const vcal = parseCalendar(
      cal(
        ...ev('UID:d', 'DTSTART;VALUE=DATE:20261222', 'DTEND;VALUE=DATE:20261225', 'SUMMARY:Trip'),
        ...ev('UID:f', 'DTSTART:20261222T090000', 'DTEND:20261222T093000', 'SUMMARY:Floating'),
      ),
    );
    const got = expand(vcal, new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).sort(
      (a, b) => +a.start - +b.start,
    );
    assert.deepEqual(
      got.map((o) => [o.title, iso(o.start), iso(o.end), o.allDay]),
      [
        ['Trip', '2026-12-21T23:00:00.000Z', '2026-12-24T23:00:00.000Z', true],
        ['Floating', '2026-12-22T08:00:00.000Z', '2026-12-22T08:30:00.000Z', false],
      ],
    );
  });
});

describe('occurrences of a calendar object: zones and long series', () => {
  it('a TZID the object names without a VTIMEZONE is read in that zone (from Intl), not as UTC', () => {
    const vcal = parseCalendar(
      cal(...ev('UID:ny', 'DTSTART;TZID=America/New_York:20260710T090000', 'DURATION:PT1H', 'SUMMARY:NY')),
    );
    const [o] = expand(vcal, new Date('2026-07-01T00:00:00Z'), new Date('2026-08-01T00:00:00Z'));
    assert.equal(iso(o!.start), '2026-07-10T13:00:00.000Z');
  });

  it('a VTIMEZONE in the object decides its times, across a DST change of a weekly series', () => {
    const vtz = berlinVtimezone('Custom/Berlin');
    const vcal = parseCalendar(
      cal(
        ...vtz,
        ...ev('UID:c', 'DTSTART;TZID=Custom/Berlin:20261018T100000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3'),
      ),
    );
    const got = expand(vcal, new Date('2026-10-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'))
      .map((o) => iso(o.start))
      .sort();
    assert.deepEqual(got, ['2026-10-18T08:00:00.000Z', '2026-10-25T09:00:00.000Z', '2026-11-01T09:00:00.000Z']);
  });

  it('a daily series begun twenty years ago still shows today (more than 5,000 instances before the range)', () => {
    const vcal = parseCalendar(
      cal(...ev('UID:old', 'DTSTART:20050101T070000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY', 'SUMMARY:Pills')),
    );
    const got = expand(vcal, new Date('2026-12-01T00:00:00Z'), new Date('2026-12-08T00:00:00Z'));
    assert.equal(got.length, 7);
    assert.ok(got.every((o) => !o.first));
  });

  it('a rule no date satisfies (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) gives no occurrences, within the bounds, and other events still show', () => {
    const vcal = parseCalendar(
      cal(
        ...ev('UID:bad', 'DTSTART:20260101T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'),
        ...ev('UID:ok', 'DTSTART:20260301T090000Z', 'DURATION:PT1H', 'SUMMARY:Fine'),
      ),
    );
    const t = Date.now();
    const got = expand(vcal, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    assert.deepEqual(
      got.map((o) => o.title),
      ['Fine'],
    );
    assert.ok(Date.now() - t < 5000, `took ${Date.now() - t} ms`);
  });

  it('an unparseable object is refused by the bounded parser (not read in part)', () => {
    assert.throws(() => parseCalendar('BEGIN:VCARD\r\nEND:VCARD\r\n'));
  });
});

describe('all-day occurrences in another display zone', () => {
  it("a DATE event read with a floating zone ahead of the viewer's is still its own days, as local midnights (§3.3.4)", async () => {
    const { intlZone } = await import('./intl-zones.js');
    const vcal = parseCalendar(
      cal(...ev('UID:d', 'DTSTART;VALUE=DATE:20261222', 'DTEND;VALUE=DATE:20261225', 'SUMMARY:Trip')),
    );
    const [o] = expand(
      vcal,
      new Date('2026-12-01T00:00:00Z'),
      new Date('2027-01-01T00:00:00Z'),
      intlZone('Asia/Tokyo'),
    );
    assert.deepEqual([o!.start.getDate(), o!.end.getDate(), o!.start.getHours()], [22, 25, 0]);
  });
});
