/** The recurrence editor's form ⇄ RRULE text (RFC 5545 §3.3.10). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRule, ruleFromString, ruleToString, weekdayPosition, type RuleForm } from './rule-form.js';

const start = { year: 2026, month: 12, day: 29 };

describe('recurrence editor form (RFC 5545 §3.3.10)', () => {
  it('weekly on chosen days, every 2 weeks, until a date: written and read back', () => {
    const f: RuleForm = {
      freq: 'WEEKLY',
      interval: 2,
      byDay: ['WE', 'MO'],
      monthly: 'date',
      end: 'until',
      until: '2027-03-01',
    };
    const text = ruleToString(f, start, (d) => d.replace(/-/g, ''));
    assert.equal(text, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270301');
    const back = ruleFromString(text, (v) => `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`);
    assert.deepEqual(back, {
      freq: 'WEEKLY',
      interval: 2,
      byDay: ['MO', 'WE'],
      monthly: 'date',
      end: 'until',
      until: '2027-03-01',
    });
    assert.equal(describeRule(back), 'Every 2 weeks on Mo, We, until 2027-03-01');
  });

  it('monthly on the last Tuesday (BYDAY=-1TU) and a count', () => {
    assert.deepEqual(weekdayPosition(2026, 12, 29), { nth: -1, day: 'TU' });
    const f: RuleForm = { freq: 'MONTHLY', interval: 1, byDay: [], monthly: 'weekday', end: 'count', count: 6 };
    assert.equal(
      ruleToString(f, start, (d) => d),
      'FREQ=MONTHLY;BYDAY=-1TU;COUNT=6',
    );
    assert.equal(ruleFromString('FREQ=MONTHLY;BYDAY=-1TU;COUNT=6', (v) => v).monthly, 'weekday');
  });

  it('a rule the editor cannot show is kept verbatim', () => {
    const rule = 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=2';
    const f = ruleFromString(rule, (v) => v);
    assert.equal(f.raw, rule);
    assert.equal(
      ruleToString(f, start, (d) => d),
      rule,
    );
  });
});
