// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * RFC 5545 §3.3.10 rules and the bounds of limits.ts at the format level: the iterator guard
 * stops a rule that steps without producing instances, raw rule text is checked, and the text
 * scan's limits hold per VCALENDAR (an import file may hold many).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpansionLimitError, IcalError } from './errors.js';
import { ICAL } from './ical.js';
import { instancesOf, recurrenceSets } from './instances.js';
import { MAX_COMPONENTS_PER_OBJECT, MAX_STEPS_PER_INSTANCE } from './limits.js';
import { parseCalendar, parseCalendars } from './parse.js';
import { ruleTextProblem } from './structure.js';
import { validateCalendarObject } from './validate.js';

const event = (rule: string, start = '20210301T100000Z'): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:x',
    'BEGIN:VEVENT',
    'UID:u',
    'DTSTAMP:20240101T000000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    `RRULE:${rule}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('RFC 5545 §3.3.10 recurrence bounds (formats/ical)', () => {
  it(`the iterator guard stops a rule that takes more than ${MAX_STEPS_PER_INSTANCE} steps to its next instance`, () => {
    // Legal, but SECONDLY steps to the next 29 February are ~31 million: ical.js would run for minutes.
    const root = parseCalendar(event('FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29'));
    const t0 = performance.now();
    assert.throws(() => [...instancesOf(recurrenceSets(root, 'vevent')[0] as never)], ExpansionLimitError);
    assert.ok(performance.now() - t0 < 2_000);
  });

  it('the guard also bounds an iterator driven directly (as VTIMEZONE expansion does)', () => {
    const it = ICAL.Recur.fromString('FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=29').iterator(
      ICAL.Time.fromString('2021-03-01T00:00:00Z', null as never),
    );
    assert.throws(() => {
      while (it.next()) {
        /* walk */
      }
    }, ExpansionLimitError);
  });

  it('raw rule text: FREQ required, INTERVAL and COUNT positive, not COUNT with UNTIL', () => {
    assert.match(ruleTextProblem('BYMONTH=10;BYDAY=-1SU') ?? '', /no FREQ/);
    assert.match(ruleTextProblem('FREQ=DAILY;INTERVAL=0') ?? '', /INTERVAL=0/);
    assert.match(ruleTextProblem('FREQ=DAILY;COUNT=-1') ?? '', /COUNT=-1/);
    assert.match(ruleTextProblem('FREQ=DAILY;COUNT=2;UNTIL=20250101T000000Z') ?? '', /both COUNT and UNTIL/);
    assert.equal(ruleTextProblem('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10'), null);
  });

  it('validation refuses INTERVAL=0 though ical.js reads it as 1', () => {
    assert.throws(
      () => validateCalendarObject(parseCalendar(event('FREQ=DAILY;INTERVAL=0')), { components: ['VEVENT'] }),
      (err: unknown) =>
        err instanceof IcalError && err.code === 'valid-calendar-data' && /INTERVAL=0/.test(err.message),
    );
  });

  it('the per-object limits of the text scan count each VCALENDAR of an import file on its own', () => {
    const one = event('FREQ=DAILY;COUNT=2');
    const many = Array.from({ length: Math.ceil(MAX_COMPONENTS_PER_OBJECT / 2) + 1 }, () => one).join('');
    assert.equal(parseCalendars(many).length, Math.ceil(MAX_COMPONENTS_PER_OBJECT / 2) + 1);
  });
});
