import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexCalendarObject, INTERVAL_HORIZON_MS, MAX_STORED_INSTANCES } from '../../formats/ical/object-index.js';
import { eventIntervals } from '../../formats/ical/time-range.js';
import { timezoneFromCalendar } from '../../formats/ical/time.js';
import { matchesFilter } from './evaluate.js';
import type { CompFilter } from './filter.js';
import { answerFromIntervals } from './planner.js';
import { ABSOLUTE, B, cal, intervalInstants, ZONE } from '../../formats/ical/recurring-shapes.fixture.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const NOW = at('2024-06-01T00:00:00Z');

const filter = (start: number | null, end: number | null): CompFilter => ({
  name: 'VCALENDAR',
  isNotDefined: false,
  timeRange: null,
  propFilters: [],
  compFilters: [{ name: 'VEVENT', isNotDefined: false, timeRange: { start, end }, propFilters: [], compFilters: [] }],
});

describe('precomputed VEVENT intervals (object-index.ts) answer RFC 4791 §9.9 time ranges like the evaluator', () => {
  it('are kept for recurring events with absolute times: the whole set when bounded, to a horizon when open-ended', () => {
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      assert.ok(ix.intervals, `${name}: intervals kept`);
      if (name === 'never ending') {
        assert.equal(ix.intervalsUntil, NOW + INTERVAL_HORIZON_MS);
        assert.deepEqual([...ix.intervals], [...eventIntervals(root, null, NOW + INTERVAL_HORIZON_MS)]);
      } else {
        assert.equal(ix.intervalsUntil, null, `${name}: complete`);
        assert.deepEqual([...ix.intervals], [...eventIntervals(root, null, null)], name);
      }
    }
  });

  it('are not kept when a floating zone could change them, or for too many instances', () => {
    const none: [string, string[][]][] = [
      ['floating DTSTART', [['DTSTART:20240301T090000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3']]],
      ['all-day', [['DTSTART;VALUE=DATE:20240301', 'RRULE:FREQ=WEEKLY;COUNT=3']]],
      ['floating EXDATE', [[`DTSTART;${B}:20240301T090000`, 'RRULE:FREQ=DAILY;COUNT=3', 'EXDATE:20240302T090000']]],
      [
        'floating override',
        [
          [`DTSTART;${B}:20240301T090000`, 'RRULE:FREQ=DAILY;COUNT=3'],
          [`RECURRENCE-ID;${B}:20240302T090000`, 'DTSTART:20240302T100000'],
        ],
      ],
      ['too many', [['DTSTART:20240301T090000Z', `RRULE:FREQ=HOURLY;COUNT=${MAX_STORED_INSTANCES + 1}`]]],
    ];
    for (const [name, events] of none) {
      const ix = indexCalendarObject(cal(...events), 'VEVENT', NOW);
      assert.equal(ix.intervals, null, name);
    }
  });

  it('decide every window around every instance exactly as matchesFilter does, in any floating zone, or defer past the horizon', () => {
    const berlin = timezoneFromCalendar(
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:x', ...ZONE, 'END:VCALENDAR'].join('\r\n'),
    );
    let decided = 0;
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      const stored = { intervals: ix.intervals as Float64Array, until: ix.intervalsUntil };
      const instants = intervalInstants(stored.intervals);
      const points = [...instants].flatMap((t) => [t - DAY, t - 1000, t - 1, t, t + 1, t + 1000]);
      const far = (ix.intervalsUntil ?? NOW) + 30 * DAY;
      for (const s of [null, ...points]) {
        for (const len of [1, 1000, 3_600_000, DAY, 40 * DAY, null]) {
          const e = len === null || s === null ? (len === null ? null : (s ?? NOW) + len) : s + len;
          const q = { component: 'VEVENT' as const, range: { start: s, end: e } };
          const got = answerFromIntervals(stored, q);
          if (ix.intervalsUntil !== null && (e === null || e > ix.intervalsUntil)) {
            assert.equal(got, null, `${name}: a range past the horizon is left to the evaluator`);
            continue;
          }
          for (const zone of [null, berlin]) {
            assert.equal(
              got,
              matchesFilter(root, filter(s, e), { floating: zone }),
              `${name}: [${s}, ${e}) zone ${zone ? 'Berlin' : 'UTC'}`,
            );
          }
          decided += 1;
        }
      }
      assert.equal(
        answerFromIntervals(stored, { component: 'VEVENT', range: { start: far, end: far + DAY } }) === null,
        ix.intervalsUntil !== null,
      );
    }
    assert.ok(decided > 1000, `${decided} ranges decided`);
  });
});

describe('precomputed VEVENT intervals (object-index.ts) of long series', () => {
  it('are kept for a daily series of years: one held since 2018, open-ended, and one of ten years to its UNTIL', () => {
    const since2018 = cal([`DTSTART;${B}:20180108T091500`, 'DURATION:PT15M', 'RRULE:FREQ=DAILY']);
    const open = indexCalendarObject(since2018, 'VEVENT', NOW);
    assert.equal(open.intervalsUntil, NOW + INTERVAL_HORIZON_MS);
    assert.deepEqual([...(open.intervals ?? [])], [...eventIntervals(since2018, null, NOW + INTERVAL_HORIZON_MS)]);
    assert.ok((open.intervals?.length ?? 0) / 3 > 3000, 'every day from 2018 to the horizon');
    const tenYears = cal([`DTSTART;${B}:20200106T091500`, 'DURATION:PT15M', 'RRULE:FREQ=DAILY;UNTIL=20291231T081500Z']);
    const bounded = indexCalendarObject(tenYears, 'VEVENT', NOW);
    assert.equal(bounded.intervalsUntil, null);
    assert.equal((bounded.intervals?.length ?? 0) / 3, 3648);
  });
});
