/**
 * fast-forward.ts: a series walked from near `from` gives exactly the instances a walk from
 * DTSTART gives that end at or after `from` — for daily and weekly rules with INTERVAL, BYDAY,
 * BYMONTH, BYMONTHDAY, BYHOUR, UNTIL, EXDATE and overrides, in UTC, floating and a zone with DST
 * (RFC 5545 §3.3.10, §3.8.5.3) — and skips the walk from DTSTART.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instancesOf, recurrenceSets, type InstanceOptions } from './instances.js';
import { parseCalendar } from './parse.js';
import { toMs } from './time.js';

const BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'DTSTART:19810329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'DTSTART:19961027T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function calendar(start: string, rule: string, extra: string[] = [], overrides: string[][] = []): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:x',
    ...BERLIN,
    'BEGIN:VEVENT',
    'UID:s',
    'DTSTAMP:20240101T000000Z',
    start,
    'DURATION:PT2H',
    `RRULE:${rule}`,
    ...extra,
    'END:VEVENT',
    ...overrides.flatMap((o) => ['BEGIN:VEVENT', 'UID:s', 'DTSTAMP:20240101T000000Z', ...o, 'END:VEVENT']),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** Each instance as its RECURRENCE-ID and start, for instances that end at or after `from`. */
function walk(ics: string, options: InstanceOptions, from: number): { list: string[]; steps: number } {
  const set = recurrenceSets(parseCalendar(ics), 'vevent')[0]!;
  const list: string[] = [];
  let steps = 0;
  for (const inst of instancesOf(set, options)) {
    steps += 1;
    const start = inst.start ? toMs(inst.start, options.floating ?? null) : 0;
    if (start + 2 * 3_600_000 < from) continue;
    list.push(`${inst.recurrenceId?.toString() ?? '-'}@${new Date(start).toISOString()}`);
  }
  return { list, steps };
}

const FROM = Date.UTC(2024, 2, 20); // 20 March 2024, a week before the change to summer time
const UNTIL = Date.UTC(2024, 4, 10);

const CASES: [string, string, string, string[]?, string[][]?][] = [
  ['daily, UTC', 'DTSTART:19900101T090000Z', 'FREQ=DAILY'],
  ['daily, interval 3, Berlin across DST', 'DTSTART;TZID=Europe/Berlin:19900101T013000', 'FREQ=DAILY;INTERVAL=3'],
  ['daily, floating', 'DTSTART:19900101T090000', 'FREQ=DAILY;INTERVAL=2'],
  ['daily, all day', 'DTSTART;VALUE=DATE:19900101', 'FREQ=DAILY;INTERVAL=5'],
  [
    'daily, BYDAY weekdays (DTSTART a Monday)',
    'DTSTART;TZID=Europe/Berlin:19900101T090000',
    'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
  ],
  [
    'daily, BYMONTH and BYMONTHDAY (DTSTART matches neither)',
    'DTSTART:19900103T090000Z',
    'FREQ=DAILY;BYMONTH=3,4;BYMONTHDAY=1,15,28',
  ],
  ['daily, BYHOUR', 'DTSTART;TZID=Europe/Berlin:19900101T080000', 'FREQ=DAILY;INTERVAL=2;BYHOUR=8,14,20'],
  ['weekly, BYDAY with DTSTART mid-week', 'DTSTART;TZID=Europe/Berlin:19900103T100000', 'FREQ=WEEKLY;BYDAY=MO,WE,SA'],
  ['weekly, interval 2, WKST=SU', 'DTSTART:19900104T100000Z', 'FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,TH'],
  ['weekly, UNTIL inside the window', 'DTSTART:19900101T100000Z', 'FREQ=WEEKLY;UNTIL=20240415T000000Z'],
  [
    'daily with EXDATEs and overrides near the window',
    'DTSTART:19900101T090000Z',
    'FREQ=DAILY',
    ['EXDATE:20240321T090000Z,20240322T090000Z'],
    [
      ['RECURRENCE-ID:20240325T090000Z', 'DTSTART:20240325T150000Z', 'DURATION:PT1H'],
      ['RECURRENCE-ID:19950101T090000Z', 'DTSTART:19950101T100000Z', 'DURATION:PT1H'],
    ],
  ],
];

describe('formats/ical fast-forward of long daily and weekly series', () => {
  for (const [label, start, rule, extra, overrides] of CASES) {
    it(`${label}: the same instances from ${new Date(FROM).toISOString().slice(0, 10)} on, walked from near there`, () => {
      const ics = calendar(start, rule, extra, overrides);
      const full = walk(ics, { until: UNTIL }, FROM);
      const fast = walk(ics, { until: UNTIL, from: FROM }, FROM);
      assert.ok(full.list.length > 0, 'the window holds instances');
      assert.deepEqual(fast.list, full.list);
      assert.ok(fast.steps * 20 < full.steps, `walked ${fast.steps} instances instead of ${full.steps}`);
    });
  }

  it('COUNT, MONTHLY and THISANDFUTURE are walked from DTSTART (they do not repeat exactly or need the count)', () => {
    for (const ics of [
      calendar('DTSTART:20200101T090000Z', 'FREQ=DAILY;COUNT=2000'),
      calendar('DTSTART:19900101T090000Z', 'FREQ=MONTHLY;BYDAY=2TU'),
      calendar(
        'DTSTART:19900101T090000Z',
        'FREQ=DAILY',
        [],
        [['RECURRENCE-ID;RANGE=THISANDFUTURE:20000101T090000Z', 'DTSTART:20000101T100000Z', 'DURATION:PT2H']],
      ),
    ]) {
      assert.deepEqual(walk(ics, { until: UNTIL, from: FROM }, FROM).list, walk(ics, { until: UNTIL }, FROM).list);
    }
  });
});
