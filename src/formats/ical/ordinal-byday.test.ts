/**
 * ordinal-byday.ts: ical.js's BYDAY test (RFC 5545 §3.3.10) replaced by arithmetic gives the
 * weekdays a calendar gives (checked against JavaScript's own Date), expands MONTHLY and YEARLY
 * ordinal rules to the dates they name, and no longer copies a Time per day walked (issue #20).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICAL } from './ical.js';
import { instancesOf, recurrenceSets } from './instances.js';
import { cal } from './recurring-shapes.fixture.js';

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** ical.js numbers weekdays 1 = Sunday … 7 = Saturday. */
const weekday = (y: number, m: number, d: number): number => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

/** The day of the month of the `pos`th `dow` (counting on past the month's ends, as ical.js does). */
function oracle(y: number, m: number, dow: number, pos: number): number {
  if (pos >= 0) {
    const first = 1 + ((dow - weekday(y, m, 1) + 7) % 7);
    return first + Math.max(0, pos - 1) * 7;
  }
  const last = daysIn(y, m) - ((weekday(y, m, daysIn(y, m)) - dow + 7) % 7);
  return last + (pos + 1) * 7;
}

function startsOf(rule: string, dtstart: string): string[] {
  const root = cal([`DTSTART:${dtstart}`, 'DURATION:PT1H', `RRULE:${rule}`]);
  const [set] = recurrenceSets(root, 'vevent');
  return [...instancesOf(set!)].map((i) => i.start!.toString().slice(0, 10));
}

const iso = (y: number, m: number, d: number): string =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

describe('ordinal BYDAY without a copy per day (issue #20, RFC 5545 §3.3.10)', () => {
  it('Time#nthWeekDay gives the calendar’s nth weekday for every month 1990–2040, weekday and position', () => {
    for (let y = 1990; y <= 2040; y++) {
      for (let m = 1; m <= 12; m++) {
        const t = ICAL.Time.fromData({ year: y, month: m, day: 15, hour: 10 });
        for (let dow = 1; dow <= 7; dow++) {
          for (let pos = -5; pos <= 5; pos++) {
            assert.equal(t.nthWeekDay(dow, pos), oracle(y, m, dow, pos), `${y}-${m} dow ${dow} pos ${pos}`);
          }
        }
      }
    }
  });

  it('MONTHLY;BYDAY=4FR, -1SU, 1MO,-1FR and YEARLY;BYMONTH=3;BYDAY=-1SU expand to the dates they name', () => {
    const monthly = (pos: number, dow: number, from: [number, number], n: number): string[] =>
      Array.from({ length: n }, (_, k) => {
        const y = from[0] + Math.floor((from[1] - 1 + k) / 12);
        const m = ((from[1] - 1 + k) % 12) + 1;
        return iso(y, m, oracle(y, m, dow, pos));
      });
    assert.deepEqual(startsOf('FREQ=MONTHLY;BYDAY=4FR;COUNT=30', '20240524T164500Z'), monthly(4, 6, [2024, 5], 30));
    assert.deepEqual(startsOf('FREQ=MONTHLY;BYDAY=-1SU;COUNT=30', '20240128T090000Z'), monthly(-1, 1, [2024, 1], 30));
    const both = startsOf('FREQ=MONTHLY;BYDAY=1MO,-1FR;COUNT=24', '20240101T090000Z');
    const expected = monthly(1, 2, [2024, 1], 12)
      .flatMap((d, k) => [d, monthly(-1, 6, [2024, 1], 12)[k]!])
      .sort();
    assert.deepEqual(both, expected);
    assert.deepEqual(
      startsOf('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=20', '20240331T020000Z'),
      Array.from({ length: 20 }, (_, k) => iso(2024 + k, 3, oracle(2024 + k, 3, 1, -1))),
    );
    // A plain BYDAY (no position) is every such weekday of the month.
    assert.deepEqual(startsOf('FREQ=MONTHLY;BYDAY=WE;COUNT=5', '20240501T090000Z'), [
      '2024-05-01',
      '2024-05-08',
      '2024-05-15',
      '2024-05-22',
      '2024-05-29',
    ]);
  });

  it('walking a 24-month BYDAY=4FR series makes no Time copy per day of the months walked', () => {
    const clone = ICAL.Time.prototype.clone;
    let copies = 0;
    ICAL.Time.prototype.clone = function (this: InstanceType<typeof ICAL.Time>) {
      copies += 1;
      return clone.call(this);
    };
    try {
      assert.equal(startsOf('FREQ=MONTHLY;BYDAY=4FR;COUNT=24', '20240524T164500Z').length, 24);
    } finally {
      ICAL.Time.prototype.clone = clone;
    }
    // ~730 days are tested; ical.js copied the time for each (nthWeekDay) before.
    assert.ok(copies < 24 * 6, `${copies} copies for 24 instances`);
  });
});
