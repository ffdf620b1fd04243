import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICAL } from './ical.js';
import { indexCalendarObject, INDEX_SLACK_MS } from './object-index.js';
import { parseCalendar } from './parse.js';
import { eventIntervals } from './time-range.js';

const cal = (lines: string[]) =>
  parseCalendar(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:x', ...lines, 'END:VCALENDAR', ''].join('\r\n'));
const ev = (...lines: string[]) => cal(['BEGIN:VEVENT', 'UID:u', 'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT']);
const at = (iso: string) => Date.parse(iso);

describe('indexCalendarObject (the store prefilter columns)', () => {
  it('a single timed event is span-exact: DTSTART–DTEND, no slack', () => {
    const ix = indexCalendarObject(ev('DTSTART:20240102T100000Z', 'DTEND:20240102T110000Z'), 'VEVENT');
    assert.equal(ix.uid, 'u');
    assert.equal(ix.spanExact, true);
    assert.equal(ix.firstStart, at('2024-01-02T10:00:00Z'));
    assert.equal(ix.lastEnd, at('2024-01-02T11:00:00Z'));
    assert.equal(ix.instances, 1);
    // no DTEND/DURATION: start <= DTSTART < end, encoded as [DTSTART, DTSTART + 1 ms)
    const point = indexCalendarObject(ev('DTSTART:20240102T100000Z'), 'VEVENT');
    assert.deepEqual(
      [point.firstStart, point.lastEnd, point.spanExact],
      [at('2024-01-02T10:00:00Z'), at('2024-01-02T10:00:00Z') + 1, true],
    );
  });

  it('floating times, dates and recurrences are not span-exact: widened by the slack', () => {
    const floating = indexCalendarObject(ev('DTSTART:20240102T100000', 'DTEND:20240102T110000'), 'VEVENT');
    assert.equal(floating.spanExact, false);
    assert.equal(floating.firstStart, at('2024-01-02T10:00:00Z') - INDEX_SLACK_MS);
    assert.equal(floating.lastEnd, at('2024-01-02T11:00:00Z') + INDEX_SLACK_MS);
    assert.equal(indexCalendarObject(ev('DTSTART;VALUE=DATE:20240301'), 'VEVENT').spanExact, false);
    assert.equal(
      indexCalendarObject(ev('DTSTART:20240102T100000Z', 'RRULE:FREQ=DAILY;COUNT=2'), 'VEVENT').spanExact,
      false,
    );
    assert.equal(
      indexCalendarObject(ev('DTSTART:20240102T100000Z', 'RDATE:20240105T100000Z'), 'VEVENT').spanExact,
      false,
    );
    assert.equal(
      indexCalendarObject(ev('DTSTART:20240102T100000Z', 'RECURRENCE-ID:20240102T100000Z'), 'VEVENT').spanExact,
      false,
    );
    assert.equal(
      indexCalendarObject(ev('DTSTART:20240102T100000Z', 'DTEND;VALUE=DATE:20240103'), 'VEVENT').spanExact,
      false,
    );
  });

  it('a bounded RRULE ends with its last instance; an unbounded one is open-ended', () => {
    const count = indexCalendarObject(
      ev('DTSTART:20240101T100000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=10'),
      'VEVENT',
    );
    assert.equal(count.lastEnd, at('2024-01-10T11:00:00Z') + INDEX_SLACK_MS);
    assert.equal(count.instances, 10);
    const forever = indexCalendarObject(ev('DTSTART:20240101T100000Z', 'RRULE:FREQ=WEEKLY'), 'VEVENT');
    assert.equal(forever.lastEnd, null);
    assert.equal(forever.instances, null);
    assert.equal(forever.firstStart, at('2024-01-01T10:00:00Z') - INDEX_SLACK_MS);
  });

  it('an override moved before the master widens the start; all-day dates last a day', () => {
    const moved = cal([
      'BEGIN:VEVENT',
      'UID:m',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240110T100000Z',
      'RRULE:FREQ=DAILY;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:m',
      'DTSTAMP:20240101T000000Z',
      'RECURRENCE-ID:20240111T100000Z',
      'DTSTART:20240105T100000Z',
      'END:VEVENT',
    ]);
    assert.equal(indexCalendarObject(moved, 'VEVENT').firstStart, at('2024-01-05T10:00:00Z') - INDEX_SLACK_MS);
    const day = indexCalendarObject(ev('DTSTART;VALUE=DATE:20240301'), 'VEVENT');
    assert.equal(day.lastEnd, at('2024-03-02T00:00:00Z') + INDEX_SLACK_MS);
  });

  it('a VTODO without dates matches every range: unbounded on both sides', () => {
    const todo = indexCalendarObject(cal(['BEGIN:VTODO', 'UID:t', 'DTSTAMP:20240101T000000Z', 'END:VTODO']), 'VTODO');
    assert.deepEqual([todo.firstStart, todo.lastEnd], [null, null]);
  });
});

describe('indexCalendarObject: one walk of a series', () => {
  it('a bounded series is walked once: its intervals are gathered on the index’s own walk (issue #20)', () => {
    const series = ev(
      'DTSTART:20240105T100000Z',
      'DTEND:20240105T110000Z',
      'RRULE:FREQ=WEEKLY;COUNT=40',
      'EXDATE:20240112T100000Z',
    );
    const next = ICAL.RecurExpansion.prototype.next;
    let steps = 0;
    ICAL.RecurExpansion.prototype.next = function (this: InstanceType<typeof ICAL.RecurExpansion>) {
      steps += 1;
      return next.call(this);
    };
    let ix;
    try {
      ix = indexCalendarObject(series, 'VEVENT');
    } finally {
      ICAL.RecurExpansion.prototype.next = next;
    }
    assert.equal(ix.instances, 39);
    assert.ok(steps <= 41, `${steps} expansion steps for 40 occurrences`);
    assert.deepEqual(ix.intervals, eventIntervals(series, null, null));
    assert.equal(ix.intervalsUntil, null);
  });
});
