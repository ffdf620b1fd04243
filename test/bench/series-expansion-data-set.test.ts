import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate, renderEvent } from '../../bench/generator.js';
import { expandCalendarTextWork, seriesTextOf, seriesTextWork } from '../../src/formats/ical/expand.js';
import { indexCalendarObject } from '../../src/formats/ical/object-index.js';
import { parseCalendar } from '../../src/formats/ical/parse.js';
import { runNow } from '../../src/formats/ical/work.js';

const DAY = 86_400_000;

// RFC 4791 §9.6.5: the bench's recurring events (four zones with their VTIMEZONEs, DTEND or
// DURATION, COUNT and UNTIL, EXDATE, overrides moved in and out of windows, never-ending
// series) expanded from their SeriesText and stored intervals (expand.ts `seriesTextWork`, what
// the object cache keeps in a series' tree's place) must give the bytes of their parsed objects
// with the same intervals, in weeks starting at every hour of the day over their first months.
test('every stored series of the bench data set expands from its SeriesText to the bytes of its parsed object', () => {
  const { events } = generate(2000, 0);
  let series = 0;
  let compared = 0;
  for (const e of events) {
    if (!e.rule) continue;
    const text = renderEvent(e);
    const root = parseCalendar(text);
    const ix = indexCalendarObject(root, 'VEVENT', Date.parse('2024-01-01T00:00:00Z'));
    const made = seriesTextOf(root);
    if (!ix.intervals || !made) continue;
    series += 1;
    const stored = { intervals: ix.intervals, until: ix.intervalsUntil };
    const first = ix.intervals[0] as number;
    for (let k = 0; k < 12; k++) {
      const start = first - DAY + k * (9 * DAY + 3_600_000);
      const range = { start, end: start + 7 * DAY };
      const fromSeries: string | null = runNow(seriesTextWork(made, stored, range));
      if (fromSeries === null) continue;
      assert.equal(
        fromSeries,
        runNow(expandCalendarTextWork(root, range, null, stored)),
        `${e.uid} from ${new Date(start).toISOString()}`,
      );
      compared += 1;
    }
  }
  assert.ok(series > 200, `${series} series made ready`);
  assert.ok(compared > 2000, `${compared} windows compared`);
});
