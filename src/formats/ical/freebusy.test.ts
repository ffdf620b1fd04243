import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busyFromIntervals, busyPeriodsWork } from './freebusy.js';
import { indexCalendarObject } from './object-index.js';
import { ABSOLUTE, cal, intervalInstants } from './recurring-shapes.fixture.js';
import { runNow } from './work.js';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-01T00:00:00Z');

describe('RFC 4791 §7.10 busy time from stored instance intervals (busyFromIntervals)', () => {
  it('equals the busy periods walked with ical.js for every window around every instance', () => {
    let compared = 0;
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      const triples = ix.intervals as Float64Array;
      for (const t of intervalInstants(triples)) {
        for (const s of [t - DAY, t - 1, t, t + 1]) {
          for (const len of [1, 1000, 3_600_000, DAY, 40 * DAY]) {
            const range = { start: s, end: s + len };
            if (ix.intervalsUntil !== null && range.end > ix.intervalsUntil) continue;
            const walked = runNow(busyPeriodsWork(root, range, null));
            assert.deepEqual(busyFromIntervals(triples, range), walked, `${name}: [${range.start}, ${range.end})`);
            compared += 1;
          }
        }
      }
    }
    assert.ok(compared > 500, `${compared} windows compared`);
  });
});
