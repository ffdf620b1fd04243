import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate, renderEvent } from '../../bench/generator.js';
import { expandCalendarTextWork } from '../../src/formats/ical/expand.js';
import { loneEventExpansion } from '../../src/formats/ical/instance-text.js';
import { indexCalendarObject } from '../../src/formats/ical/object-index.js';
import { parseCalendar } from '../../src/formats/ical/parse.js';
import { runNow } from '../../src/formats/ical/work.js';

// RFC 4791 §9.6.5: the bench's events (UTC and four zones with their VTIMEZONEs, DTEND or
// DURATION), each lone one with an exact span expanded from its text with its index columns,
// must give the bytes its parsed object gives (instance-text.ts `loneEventExpansion`).
test('every lone event of the bench data set expands from its text to the bytes of its parsed object', () => {
  const { events } = generate(2000, 0);
  let compared = 0;
  for (const e of events) {
    const text = renderEvent(e);
    const root = parseCalendar(text);
    const ix = indexCalendarObject(root, 'VEVENT');
    if (!ix.spanExact || ix.firstStart === null || ix.lastEnd === null || ix.lastEnd - ix.firstStart <= 1) continue;
    const range = { start: ix.firstStart - 3_600_000, end: ix.lastEnd + 3_600_000 };
    assert.equal(
      loneEventExpansion(text, ix.firstStart, ix.lastEnd),
      runNow(expandCalendarTextWork(root, range, null)),
      e.uid,
    );
    compared += 1;
  }
  assert.ok(compared > 1000, `${compared} events compared`);
});
