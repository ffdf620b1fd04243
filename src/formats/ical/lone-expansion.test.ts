import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BERLIN_VTIMEZONE } from './berlin-zone.fixture.js';
import { expandCalendarTextWork } from './expand.js';
import { loneEventExpansion } from './instance-text.js';
import { indexCalendarObject } from './object-index.js';
import { parseCalendar } from './parse.js';
import { runNow } from './work.js';

/**
 * RFC 4791 §9.6.5 CALDAV:expand of a lone non-recurring event written from its text
 * (instance-text.ts `loneEventExpansion`) against the same expansion of the parsed object
 * (expand.ts `expandCalendarTextWork`), with the instants the store's index gives it.
 */

const WEEK = { start: Date.parse('2024-01-01T00:00:00Z'), end: Date.parse('2024-01-08T00:00:00Z') };

const calendar = (event: readonly string[], opts: { zone?: boolean; head?: readonly string[] } = {}): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac//lone expansion test//EN',
    ...(opts.head ?? []),
    ...(opts.zone ? BERLIN_VTIMEZONE : []),
    'BEGIN:VEVENT',
    'UID:lone-1',
    'DTSTAMP:20231220T120000Z',
    ...event,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** The expansion both ways, the text's from the index columns as the store keeps them. */
function both(text: string): { fromText: string | null; fromTree: string; exact: boolean } {
  const root = parseCalendar(text);
  const ix = indexCalendarObject(root, 'VEVENT');
  const fromTree = runNow(expandCalendarTextWork(root, WEEK, null));
  const fromText =
    ix.spanExact && ix.firstStart !== null && ix.lastEnd !== null
      ? loneEventExpansion(text, ix.firstStart, ix.lastEnd)
      : null;
  return { fromText, fromTree, exact: ix.spanExact };
}

/** Components and properties as ical.js reads them: the same calendar data, however the lines are written. */
const meaning = (text: string): unknown => parseCalendar(text).toJSON();

describe('RFC 4791 §9.6.5 expand of a lone event from its text', () => {
  it('writes the bytes the parsed object gives for text as ical.js writes it', () => {
    const shapes: Record<string, string> = {
      'UTC, DTEND': calendar(['DTSTART:20240103T100000Z', 'DTEND:20240103T110000Z', 'SUMMARY:Plain']),
      'TZID with its VTIMEZONE': calendar(
        ['DTSTART;TZID=Europe/Berlin:20240103T100000', 'DTEND;TZID=Europe/Berlin:20240103T113000', 'SUMMARY:Berlin'],
        { zone: true },
      ),
      DURATION: calendar(['DTSTART;TZID=Europe/Berlin:20240104T230000', 'DURATION:PT2H', 'SUMMARY:Late'], {
        zone: true,
      }),
      'an alarm, a parameter kept, a long folded line': calendar(
        [
          'DTSTART;X-KEPT=yes;TZID=Europe/Berlin:20240105T080000',
          'DTEND;TZID=Europe/Berlin:20240105T090000',
          `DESCRIPTION:${'a long description that ical.js folds at seventy-five octets '.repeat(3)}`,
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          'DESCRIPTION:Soon',
          'TRIGGER;VALUE=DATE-TIME:20240105T064500Z',
          'END:VALARM',
          'LOCATION:Room "A"\\, 2nd floor',
        ],
        { zone: true },
      ),
      'calendar properties around a zone': calendar(
        ['DTSTART;TZID=Europe/Berlin:20240106T100000', 'DTEND:20240106T100500Z'],
        { zone: true, head: ['CALSCALE:GREGORIAN', 'X-WR-CALNAME:Team'] },
      ),
    };
    for (const [name, written] of Object.entries(shapes)) {
      const text = parseCalendar(written).toString() + '\r\n'; // as ical.js writes it
      const { fromText, fromTree, exact } = both(text);
      assert.ok(exact, `${name}: the index marks its span exact`);
      assert.match(fromTree, /BEGIN:VEVENT/, name);
      assert.equal(fromText, fromTree, name);
      assert.doesNotMatch(fromText, /VTIMEZONE|TZID/, name);
    }
  });

  it('gives the same calendar data for text written otherwise (bare LF, lower case, its own folding)', () => {
    const text = calendar(
      [
        'dtstart;tzid=Europe/Berlin:20240103T100000',
        'dtend;tzid=Europe/Berlin:20240103T110000',
        'SUMMARY:folded by its',
        '  client',
        'begin:valarm',
        'action:DISPLAY',
        'trigger:-PT10M',
        'description:x',
        'end:valarm',
      ],
      { zone: true },
    ).replace(/\r\n/g, '\n');
    const { fromText, fromTree, exact } = both(text);
    assert.ok(exact);
    assert.ok(fromText !== null);
    assert.deepEqual(meaning(fromText), meaning(fromTree));
    assert.match(fromText, /\r\nDTSTART:20240103T090000Z\r\nDTEND:20240103T100000Z\r\n/);
    assert.ok(!/[^\r]\n/.test(fromText), 'CRLF line ends');
  });
});

describe('RFC 4791 §9.6.5 expand of a lone event from its text: what it declines', () => {
  it('declines what is not one non-recurring event, which is then expanded from the parsed object', () => {
    const lone = ['DTSTART:20240103T100000Z', 'DTEND:20240103T110000Z'];
    const start = Date.parse('2024-01-03T10:00:00Z');
    const end = Date.parse('2024-01-03T11:00:00Z');
    const declined: Record<string, string> = {
      'a recurrence rule': calendar([...lone, 'RRULE:FREQ=DAILY;COUNT=2']),
      'an RDATE': calendar([...lone, 'RDATE:20240105T100000Z']),
      'a RECURRENCE-ID': calendar([...lone, 'RECURRENCE-ID:20240103T100000Z']),
      'DTEND and DURATION': calendar([...lone, 'DURATION:PT1H']),
      'two DTSTARTs': calendar([...lone, 'DTSTART:20240103T120000Z']),
      'a second VEVENT': calendar(lone).replace(
        'END:VCALENDAR',
        'BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20240104T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR',
      ),
      'another component': calendar(lone).replace(
        'END:VCALENDAR',
        'BEGIN:X-THING\r\nX-A:1\r\nEND:X-THING\r\nEND:VCALENDAR',
      ),
      'a second VCALENDAR': calendar(lone) + calendar(lone),
      'text before it': 'X-STRAY:1\r\n' + calendar(lone),
      'no end': calendar(lone).replace('END:VCALENDAR\r\n', ''),
      'a year past 9999': calendar(lone),
    };
    for (const [name, text] of Object.entries(declined)) {
      const at = name === 'a year past 9999' ? Date.UTC(10_000, 0, 1) : start;
      assert.equal(loneEventExpansion(text, at, at === start ? end : at + 3_600_000), null, name);
    }
    assert.ok(loneEventExpansion(calendar(lone), start, end), 'the plain event itself is written');
  });
});
