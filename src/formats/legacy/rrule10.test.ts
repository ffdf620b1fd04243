/**
 * vCalendar 1.0 recurrence rules ⇄ iCalendar RRULE (vCalendar 1.0 §3.7.3 grammar, RFC 5545
 * §3.3.10): each frequency, ordinals counted from the end, the duration forms (#n, #0 forever,
 * none = #2, an end date) and rules with no form on the other side.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rrule10To20, rrule20To10 } from './rrule10.js';

const asUtc = (u: string): string => u;

describe('vCalendar 1.0 RRULE → iCalendar RRULE (vCalendar 1.0 §3.7.3)', () => {
  const cases: [string, string][] = [
    ['D1 #5', 'FREQ=DAILY;COUNT=5'],
    ['D2 #0', 'FREQ=DAILY;INTERVAL=2'],
    ['D1', 'FREQ=DAILY;COUNT=2'],
    ['W1 MO TU 20270201T110000Z', 'FREQ=WEEKLY;BYDAY=MO,TU;UNTIL=20270201T110000Z'],
    ['MD1 15 #0', 'FREQ=MONTHLY;BYMONTHDAY=15'],
    ['MD1 1- #3', 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3'],
    ['MP1 1+ MO #0', 'FREQ=MONTHLY;BYDAY=1MO'],
    ['MP2 2- FR #4', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=-2FR;COUNT=4'],
    ['YM1 6 #0', 'FREQ=YEARLY;BYMONTH=6'],
    ['YD1 100 #0', 'FREQ=YEARLY;BYYEARDAY=100'],
  ];
  for (const [v1, v2] of cases) {
    it(`${v1} → ${v2}`, () => assert.equal(rrule10To20(v1), v2));
  }

  it('an end date on a DATE-valued DTSTART keeps only the date (RFC 5545 §3.3.10: UNTIL matches DTSTART)', () => {
    assert.equal(rrule10To20('D1 20270201T000000Z', true), 'FREQ=DAILY;UNTIL=20270201');
  });

  it('a rule it cannot read is null, not a guess', () => {
    for (const bad of ['', 'X1 #2', 'D #2', 'daily']) assert.equal(rrule10To20(bad), null, JSON.stringify(bad));
  });
});

describe('iCalendar RRULE → vCalendar 1.0 RRULE', () => {
  const cases: [string, string][] = [
    ['FREQ=DAILY;COUNT=5', 'D1 #5'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU', 'W2 MO TU #0'],
    ['FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', 'MP1 1- FR #3'],
    ['FREQ=MONTHLY;BYDAY=MO', 'MP1 1+ MO #0'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'MD1 1- #0'],
    ['FREQ=YEARLY;BYYEARDAY=100', 'YD1 100 #0'],
    ['FREQ=YEARLY;UNTIL=20300101T000000Z', 'YM1 4 20300101T000000Z'],
  ];
  for (const [v2, v1] of cases) {
    it(`${v2} → ${v1}`, () => assert.equal(rrule20To10(v2, 4, asUtc), v1));
  }

  it('a yearly rule without BYMONTH recurs in the start month', () => {
    assert.equal(rrule20To10('FREQ=YEARLY', 11, asUtc), 'YM1 11 #0');
  });

  it('frequencies 1.0 has no form for are null (HOURLY, MINUTELY, SECONDLY)', () => {
    for (const f of ['HOURLY', 'MINUTELY', 'SECONDLY']) assert.equal(rrule20To10(`FREQ=${f}`, 1, asUtc), null);
  });

  it('the common rules survive 1.0 → 2.0 → 1.0 unchanged', () => {
    for (const v1 of ['D1 #5', 'W1 MO TU #0', 'MD1 15 #0', 'MP1 1+ MO #0', 'YM1 6 #0', 'YD1 100 #0']) {
      const v2 = rrule10To20(v1);
      assert.ok(v2);
      assert.equal(rrule20To10(v2, 6, asUtc), v1);
    }
  });
});
