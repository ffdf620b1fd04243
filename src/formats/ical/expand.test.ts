import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandCalendarWork } from './expand.js';
import { indexCalendarObject } from './object-index.js';
import { ABSOLUTE, cal } from './recurring-shapes.fixture.js';
import { runNow } from './work.js';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-01T00:00:00Z');

describe('RFC 4791 §9.6.5 CALDAV:expand from stored instance intervals', () => {
  it('writes the same instances as walking the rule, for every window around every instance', () => {
    let compared = 0;
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      const stored = { intervals: ix.intervals as Float64Array, until: ix.intervalsUntil };
      const starts = new Set<number>();
      for (let k = 0; k < stored.intervals.length; k += 3) starts.add(stored.intervals[k] as number);
      for (const t of starts) {
        for (const s of [t - DAY, t - 1, t, t + 1]) {
          for (const len of [1, 3_600_000, 2 * DAY, 40 * DAY]) {
            const range = { start: s, end: s + len };
            const walked = runNow(expandCalendarWork(root, range, null)).toString();
            const read = runNow(expandCalendarWork(root, range, null, stored)).toString();
            assert.equal(read, walked, `${name}: [${new Date(s).toISOString()}, +${len} ms)`);
            compared += 1;
          }
        }
      }
    }
    assert.ok(compared > 300, `${compared} windows compared`);
  });

  it('reads them: intervals moved by a day move the instances written', () => {
    const root = cal(['DTSTART:20240304T100000Z', 'DTEND:20240304T110000Z', 'RRULE:FREQ=DAILY;COUNT=3']);
    const ix = indexCalendarObject(root, 'VEVENT', NOW);
    const moved = (ix.intervals as Float64Array).map((v, i) => (i % 3 === 2 ? v : v + DAY));
    const range = { start: Date.parse('2024-03-01T00:00:00Z'), end: Date.parse('2024-03-10T00:00:00Z') };
    const text = runNow(expandCalendarWork(root, range, null, { intervals: moved, until: null })).toString();
    assert.match(text, /DTSTART:20240307T100000Z/);
    assert.doesNotMatch(text, /DTSTART:20240304T100000Z/);
  });

  it('walks the rule for a range past the horizon of the intervals', () => {
    const root = cal(['DTSTART:20240304T100000Z', 'DTEND:20240304T110000Z', 'RRULE:FREQ=WEEKLY']);
    const horizon = Date.parse('2024-03-05T00:00:00Z');
    const ix = indexCalendarObject(root, 'VEVENT', NOW);
    const early = (ix.intervals as Float64Array).slice(0, 3);
    const range = { start: Date.parse('2024-03-11T00:00:00Z'), end: Date.parse('2024-03-12T00:00:00Z') };
    const text = runNow(expandCalendarWork(root, range, null, { intervals: early, until: horizon })).toString();
    assert.match(text, /DTSTART:20240311T100000Z/);
  });
});
