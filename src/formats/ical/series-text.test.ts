import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expandCalendarTextWork,
  seriesTextFromJson,
  seriesTextJson,
  seriesTextOf,
  seriesTextWork,
  type StoredInstances,
} from './expand.js';
import { indexCalendarObject } from './object-index.js';
import { parseCalendar } from './parse.js';
import { ABSOLUTE, B, cal, intervalInstants } from './recurring-shapes.fixture.js';
import { runNow } from './work.js';

/**
 * RFC 4791 §9.6.5 CALDAV:expand of a recurring event from its SeriesText and stored intervals
 * (expand.ts `seriesTextWork`, what the object cache keeps in a series' tree's place) against
 * the expansion of the parsed object with the same intervals (`expandCalendarTextWork`): the
 * same bytes wherever it answers, and no answer where the parsed object must be walked.
 */

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-01T00:00:00Z');

function storedOf(root: ReturnType<typeof cal>): StoredInstances | null {
  const ix = indexCalendarObject(root, 'VEVENT', NOW);
  return ix.intervals ? { intervals: ix.intervals, until: ix.intervalsUntil } : null;
}

describe('RFC 4791 §9.6.5 expand of a series from its SeriesText', () => {
  it('writes the bytes of the parsed object for every window around every instance of every shape', () => {
    let compared = 0;
    let declined = 0;
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const stored = storedOf(root);
      const series = seriesTextOf(root);
      if (!stored || !series) {
        declined += 1;
        continue;
      }
      for (const t of intervalInstants(stored.intervals, true)) {
        for (const s of [t - DAY, t - 1, t, t + 1]) {
          for (const len of [1, 3_600_000, 2 * DAY, 40 * DAY]) {
            const range = { start: s, end: s + len };
            const fromSeries: string | null = runNow(seriesTextWork(series, stored, range));
            if (fromSeries === null) continue;
            assert.equal(
              fromSeries,
              runNow(expandCalendarTextWork(root, range, null, stored)),
              `${name}: [${new Date(s).toISOString()}, +${len} ms)`,
            );
            compared += 1;
          }
        }
      }
    }
    assert.ok(compared > 300, `${compared} windows compared`);
    // RDATE periods and THISANDFUTURE change later instances' data or length: walked.
    assert.equal(declined, 2);
  });

  it('is not made for what the walk must expand: THISANDFUTURE, RDATE periods, a DATE, another component, two UIDs, no master', () => {
    const shapes = new Map(ABSOLUTE);
    const daily = cal(['DTSTART:20240304T100000Z', 'RRULE:FREQ=DAILY;COUNT=3']).toString();
    const beside = (component: string, uid: string, extra = ''): ReturnType<typeof cal> =>
      parseCalendar(
        daily.replace(
          'END:VCALENDAR',
          `BEGIN:${component}\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z${extra}\r\nEND:${component}\r\nEND:VCALENDAR`,
        ),
      );
    const vtodo = beside('VTODO', 't');
    const twoUids = beside('VEVENT', 'other', '\r\nDTSTART:20240305T100000Z');
    const cases: [string, ReturnType<typeof cal>][] = [
      ['THISANDFUTURE', cal(...(shapes.get('THISANDFUTURE') ?? []))],
      ['RDATE periods', cal(...(shapes.get('RDATE periods') ?? []))],
      ['an all-day series', cal(['DTSTART;VALUE=DATE:20240304', 'RRULE:FREQ=WEEKLY;COUNT=3'])],
      ['a non-recurring event', cal(['DTSTART:20240304T100000Z', 'DTEND:20240304T110000Z'])],
      ['only an override', cal([`RECURRENCE-ID;${B}:20240305T100000`, `DTSTART;${B}:20240306T100000`])],
      ['a VTODO beside it', vtodo],
      ['two UIDs', twoUids],
    ];
    for (const [name, root] of cases) assert.equal(seriesTextOf(root), null, name);
  });
});

describe('RFC 4791 §9.6.5 expand of a series from its SeriesText: the edges', () => {
  it('answers nothing for a range past its intervals, or naming an overridden occurrence in them', () => {
    const root = cal([`DTSTART;${B}:20240304T100000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY']);
    const series = seriesTextOf(root);
    assert.ok(series);
    const stored = storedOf(root);
    assert.ok(stored?.until);
    const past = { start: stored.until + DAY, end: stored.until + 8 * DAY };
    assert.equal(runNow(seriesTextWork(series, stored, past)), null);
    const open = { start: Date.parse('2024-03-01T00:00:00Z'), end: null };
    assert.equal(runNow(seriesTextWork(series, stored, open)), null);
    // An override of the first occurrence whose triple the intervals do not hold: the rule's triple names it.
    const overridden = cal(
      [`DTSTART;${B}:20240304T100000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3'],
      [`RECURRENCE-ID;${B}:20240304T100000`, `DTSTART;${B}:20240304T120000`, 'DURATION:PT1H'],
    );
    const stale = storedOf(cal([`DTSTART;${B}:20240304T100000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3']));
    const s2 = seriesTextOf(overridden);
    assert.ok(s2 && stale);
    const week = { start: Date.parse('2024-03-04T00:00:00Z'), end: Date.parse('2024-03-05T00:00:00Z') };
    assert.equal(runNow(seriesTextWork(s2, stale, week)), null);
  });

  it('writes a window of the 900 instances of a stored series, sorted as the parsed path sorts them', () => {
    const root = cal(
      ['DTSTART:20240101T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY;INTERVAL=5;COUNT=900'],
      ['RECURRENCE-ID:20240101T001000Z', 'DTSTART:20240101T235500Z', 'DURATION:PT1M'],
    );
    const series = seriesTextOf(root);
    const stored = storedOf(root);
    assert.ok(series && stored);
    const range = { start: Date.parse('2024-01-01T00:00:00Z'), end: Date.parse('2024-01-05T00:00:00Z') };
    const out = runNow(seriesTextWork(series, stored, range));
    assert.equal(out, runNow(expandCalendarTextWork(root, range, null, stored)));
    assert.equal(out?.split('BEGIN:VEVENT').length, 901);
  });
});

describe('SeriesText as stored beside the intervals (seriesTextJson)', () => {
  it('reads back to the same expansion of every shape in every window, and the index writes it', () => {
    let compared = 0;
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const made = seriesTextOf(root);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      assert.equal(ix.seriesText, made && ix.intervals ? seriesTextJson(made) : null, name);
      const stored = storedOf(root);
      if (!made || !stored || !ix.seriesText) continue;
      const read = seriesTextFromJson(ix.seriesText);
      assert.ok(read, name);
      for (const t of intervalInstants(stored.intervals, true)) {
        const range = { start: t - DAY, end: t + 2 * DAY };
        const fromRead: string | null = runNow(seriesTextWork(read, stored, range));
        assert.equal(fromRead, runNow(seriesTextWork(made, stored, range)), name);
        compared += 1;
      }
    }
    assert.ok(compared > 50, `${compared} windows compared`);
  });

  it('is not written for a lone event, and anything but its own form reads as none', () => {
    const lone = cal(['DTSTART:20240304T100000Z', 'DTEND:20240304T110000Z']);
    assert.equal(indexCalendarObject(lone, 'VEVENT', NOW).seriesText, null);
    const made = seriesTextOf(cal([`DTSTART;${B}:20240304T100000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3']));
    assert.ok(made);
    const json = seriesTextJson(made);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const damaged = [
      json.slice(0, -1),
      '',
      'null',
      '[]',
      JSON.stringify({ ...parsed, v: 2 }),
      JSON.stringify({ ...parsed, head: 1 }),
      JSON.stringify({ ...parsed, overridden: ['x'] }),
      JSON.stringify({ ...parsed, overrides: [{ start: 1, end: 2 }] }),
      JSON.stringify({ ...parsed, rule: { ...(parsed.rule as object), dtstart: null } }),
      JSON.stringify({
        ...parsed,
        rule: { ...(parsed.rule as object), parts: [{ name: 'SUMMARY', head: 'x', folds: false, raw: '' }] },
      }),
    ];
    for (const text of damaged) assert.equal(seriesTextFromJson(text), null, text.slice(0, 80));
    assert.deepEqual(seriesTextFromJson(json), made);
  });
});
