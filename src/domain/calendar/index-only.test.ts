import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICAL } from '../../formats/ical/ical.js';
import { indexCalendarObject } from '../../formats/ical/object-index.js';
import { parseCalendar } from '../../formats/ical/parse.js';
import { timezoneFromCalendar } from '../../formats/ical/time.js';
import { matchesFilter } from './evaluate.js';
import type { CompFilter } from './filter.js';
import { answerFromIndex, indexOnlyRange } from './planner.js';
import { BERLIN_VTIMEZONE } from '../../formats/ical/berlin-zone.fixture.js';

const comp = (name: string, over: Partial<CompFilter> = {}): CompFilter => ({
  name,
  isNotDefined: false,
  timeRange: null,
  propFilters: [],
  compFilters: [],
  ...over,
});
const at = (iso: string) => Date.parse(iso);

const ZONE = BERLIN_VTIMEZONE;
const cal = (name: string, lines: string[]) =>
  parseCalendar(
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:x',
      ...ZONE,
      `BEGIN:${name}`,
      'UID:u',
      'DTSTAMP:20240101T000000Z',
      ...lines,
      `END:${name}`,
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );

const T = '20240331T010000Z'; // the Berlin spring-forward instant
const OBJECTS: [string, string[]][] = [
  ['VEVENT', [`DTSTART:${T}`, 'DTEND:20240331T020000Z']],
  ['VEVENT', [`DTSTART:${T}`]],
  ['VEVENT', [`DTSTART:${T}`, 'DURATION:PT0S']],
  ['VEVENT', [`DTSTART:${T}`, 'DURATION:PT1H']],
  ['VEVENT', [`DTSTART:${T}`, `DTEND:${T}`]],
  ['VEVENT', ['DTSTART;TZID=Europe/Berlin:20240331T030000', 'DTEND;TZID=Europe/Berlin:20240331T040000']],
  ['VEVENT', ['DTSTART;TZID=Europe/Berlin:20240330T230000', 'DURATION:P1D']],
  ['VEVENT', ['DTSTART:20240331T010000', 'DTEND:20240331T020000']], // floating: evaluator only
  ['VTODO', [`DTSTART:${T}`, 'DURATION:PT1H']],
  ['VTODO', [`DTSTART:${T}`, 'DURATION:PT0S']],
  ['VTODO', [`DTSTART:${T}`, 'DUE:20240331T020000Z']],
  ['VTODO', [`DTSTART:${T}`, `DUE:${T}`]],
  ['VTODO', [`DTSTART:${T}`]],
  ['VTODO', [`DUE:${T}`]],
  ['VTODO', [`COMPLETED:${T}`, 'CREATED:20240330T010000Z']],
  ['VTODO', [`COMPLETED:${T}`]],
  ['VTODO', [`CREATED:${T}`]],
  ['VTODO', []],
  ['VTODO', ['DTSTART;TZID=Europe/Berlin:20240331T030000', 'DUE;TZID=Europe/Berlin:20240331T050000']],
];

describe('index-only answers (span-exact objects) agree with the RFC 4791 §9.9 evaluator', () => {
  it('recognises only VCALENDAR > VEVENT|VTODO > time-range', () => {
    const r = { start: 1, end: 2 };
    assert.deepEqual(indexOnlyRange(comp('VCALENDAR', { compFilters: [comp('VEVENT', { timeRange: r })] })), {
      component: 'VEVENT',
      range: r,
    });
    assert.equal(indexOnlyRange(comp('VCALENDAR', { compFilters: [comp('VEVENT')] })), null);
    assert.equal(indexOnlyRange(comp('VCALENDAR', { compFilters: [comp('VJOURNAL', { timeRange: r })] })), null);
    assert.equal(
      indexOnlyRange(
        comp('VCALENDAR', { compFilters: [comp('VEVENT', { timeRange: r, compFilters: [comp('VALARM')] })] }),
      ),
      null,
    );
    assert.equal(
      indexOnlyRange(
        comp('VCALENDAR', { compFilters: [comp('VEVENT', { timeRange: r }), comp('VEVENT', { timeRange: r })] }),
      ),
      null,
    );
    assert.equal(
      indexOnlyRange(comp('VCALENDAR', { compFilters: [comp('VEVENT', { timeRange: r, isNotDefined: true })] })),
      null,
    );
  });

  it('every object × every range boundary around its instants, with and without a floating zone', () => {
    const floating = timezoneFromCalendar(
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:x', ...ZONE, 'END:VCALENDAR'].join('\r\n'),
    );
    const base = at('2024-03-31T01:00:00Z');
    const points = [-86_400_000, -3_600_000, -1000, 0, 1000, 3_600_000, 7_200_000, 86_400_000].map((d) => base + d);
    const bounds = [null, ...points];
    let exact = 0;
    for (const [name, lines] of OBJECTS) {
      const root = cal(name, lines);
      const ix = indexCalendarObject(root, name);
      const r = { spanExact: ix.spanExact, component: name, firstStart: ix.firstStart, lastEnd: ix.lastEnd };
      if (ix.spanExact) exact += 1;
      for (const start of bounds) {
        for (const end of bounds) {
          if (start !== null && end !== null && end <= start) continue;
          const f = comp('VCALENDAR', { compFilters: [comp(name, { timeRange: { start, end } })] });
          const q = indexOnlyRange(f);
          assert.ok(q);
          const fromIndex = answerFromIndex(r, q);
          for (const zone of [null, floating]) {
            const truth = matchesFilter(root, f, { floating: zone });
            // The store prefilter (firstStart < end AND lastEnd > start, nulls unbounded) never drops a match.
            const pre =
              (ix.firstStart === null || end === null || ix.firstStart < end) &&
              (ix.lastEnd === null || start === null || ix.lastEnd > start);
            if (truth) assert.ok(pre, `${name} ${lines.join(' ')} dropped by the prefilter for [${start}, ${end})`);
            if (fromIndex !== null)
              assert.equal(
                fromIndex,
                truth,
                `${name} ${lines.join(' ')} [${start}, ${end}) zone ${zone ? 'Berlin' : 'none'}`,
              );
          }
        }
      }
    }
    assert.ok(exact >= 14, `span-exact objects: ${exact}`);
    assert.ok(ICAL.Timezone);
  });
});
