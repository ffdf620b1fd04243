/**
 * RFC 4791 §9.9 time-range semantics through calendar-query (§7.8): recurrence (RRULE, RDATE,
 * EXDATE, overrides), floating times against calendar-timezone and CALDAV:timezone (§9.8),
 * all-day dates, DURATION, the VTODO and VJOURNAL tables, open ranges, text-match collations.
 * Every query runs with ALMANAC_DEBUG_QUERY=1: index path and full scan must agree.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkcalendar, names, put, query, report, startCalServer, type CalServer } from './caldav-client.js';

const CAL = '/dav/calendars/alice/tr/';
let s: CalServer;

const NY =
  'BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n' +
  'TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n' +
  'TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n';
const TOKYO =
  'BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';

function cal(comp: string, lines: string[], tz = ''): string {
  const body =
    lines.some((l) => l.startsWith('BEGIN:')) && lines[0]?.startsWith('BEGIN:')
      ? lines
      : [`BEGIN:${comp}`, ...lines, `END:${comp}`];
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//EN',
    ...(tz ? [tz.trimEnd()] : []),
    ...body,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const OBJECTS: Record<string, string> = {
  // Weekly on Mondays 09:00 New York from 2024-01-01, 12 times; 2024-01-15 excluded; 2024-01-22 moved to Tuesday.
  'weekly.ics': cal(
    'VEVENT',
    [
      'BEGIN:VEVENT',
      'UID:weekly',
      'DTSTAMP:20240101T000000Z',
      'DTSTART;TZID=America/New_York:20240101T090000',
      'DTEND;TZID=America/New_York:20240101T100000',
      'RRULE:FREQ=WEEKLY;COUNT=12',
      'EXDATE;TZID=America/New_York:20240115T090000',
      'SUMMARY:Weekly',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:weekly',
      'DTSTAMP:20240101T000000Z',
      'RECURRENCE-ID;TZID=America/New_York:20240122T090000',
      'DTSTART;TZID=America/New_York:20240123T150000',
      'DTEND;TZID=America/New_York:20240123T160000',
      'SUMMARY:Moved',
      'END:VEVENT',
    ],
    NY,
  ),
  // Daily forever from 2020, RDATE extra on 2019-12-25.
  'daily.ics': cal('VEVENT', [
    'UID:daily',
    'DTSTAMP:20240101T000000Z',
    'DTSTART:20200101T120000Z',
    'DURATION:PT30M',
    'RRULE:FREQ=DAILY',
    'RDATE:20191225T120000Z',
    'SUMMARY:Daily standup',
  ]),
  // All-day on 2024-03-10 (floating date).
  'allday.ics': cal('VEVENT', [
    'UID:allday',
    'DTSTAMP:20240101T000000Z',
    'DTSTART;VALUE=DATE:20240310',
    'SUMMARY:Birthday Ünïcode',
  ]),
  // Floating 2024-03-11 23:30 for 1h.
  'floating.ics': cal('VEVENT', [
    'UID:floating',
    'DTSTAMP:20240101T000000Z',
    'DTSTART:20240311T233000',
    'DURATION:PT1H',
    'SUMMARY:Floating',
  ]),
  // Zero-duration event at 2024-04-01T00:00Z.
  'instant.ics': cal('VEVENT', [
    'UID:instant',
    'DTSTAMP:20240101T000000Z',
    'DTSTART:20240401T000000Z',
    'SUMMARY:Instant',
  ]),
  // VTODO rows of §9.9.
  'todo-due.ics': cal('VTODO', [
    'UID:todo-due',
    'DTSTAMP:20240101T000000Z',
    'DUE:20240501T120000Z',
    'SUMMARY:Due only',
  ]),
  'todo-start-dur.ics': cal('VTODO', [
    'UID:todo-sd',
    'DTSTAMP:20240101T000000Z',
    'DTSTART:20240601T100000Z',
    'DURATION:PT2H',
  ]),
  'todo-none.ics': cal('VTODO', ['UID:todo-none', 'DTSTAMP:20240101T000000Z', 'SUMMARY:Someday']),
  'todo-created.ics': cal('VTODO', ['UID:todo-created', 'DTSTAMP:20240101T000000Z', 'CREATED:20240701T000000Z']),
  'todo-recurring.ics': cal('VTODO', [
    'UID:todo-rec',
    'DTSTAMP:20240101T000000Z',
    'DTSTART:20240801T090000Z',
    'DUE:20240801T100000Z',
    'RRULE:FREQ=MONTHLY;COUNT=3',
  ]),
  // VJOURNAL with a date and one without DTSTART.
  'journal.ics': cal('VJOURNAL', [
    'UID:journal',
    'DTSTAMP:20240101T000000Z',
    'DTSTART;VALUE=DATE:20240901',
    'SUMMARY:Diary',
  ]),
  'journal-undated.ics': cal('VJOURNAL', ['UID:journal-nd', 'DTSTAMP:20240101T000000Z', 'SUMMARY:Undated']),
};

before(async () => {
  s = await startCalServer();
  assert.equal((await mkcalendar(s.fetch, CAL)).status, 201);
  for (const [name, ics] of Object.entries(OBJECTS)) {
    const res = await put(s.fetch, CAL + name, ics);
    assert.equal(res.status, 201, `${name}: ${await res.text()}`);
  }
});
after(() => s.close());

const range = (comp: string, start?: string, end?: string, inner = '') =>
  `<C:comp-filter name="VCALENDAR"><C:comp-filter name="${comp}"><C:time-range${start ? ` start="${start}"` : ''}${end ? ` end="${end}"` : ''}/>${inner}</C:comp-filter></C:comp-filter>`;

async function hits(filter: string, extra = ''): Promise<string[]> {
  const r = await report(s.fetch, CAL, query(filter, '<D:getetag/>', extra));
  assert.equal(r.status, 207, r.text);
  return names(r.xml);
}

describe('RFC 4791 §9.9 time-range in calendar-query', () => {
  it('RRULE instances match; an EXDATE instance does not; an overridden instance matches where it moved', async () => {
    assert.deepEqual(await hits(range('VEVENT', '20240108T140000Z', '20240108T150000Z')), ['weekly.ics']);
    assert.deepEqual(
      await hits(range('VEVENT', '20240115T140000Z', '20240115T150000Z')),
      [],
      'EXDATE removes 2024-01-15',
    );
    assert.deepEqual(await hits(range('VEVENT', '20240122T140000Z', '20240122T150000Z')), [], 'the 22nd moved away');
    assert.deepEqual(
      await hits(range('VEVENT', '20240123T200000Z', '20240123T203000Z')),
      ['weekly.ics'],
      'to the 23rd 15:00 New York',
    );
    assert.deepEqual(
      await hits(range('VEVENT', '20240311T130000Z', '20240311T133000Z')),
      ['weekly.ics'],
      'DST: 09:00 EDT = 13:00Z',
    );
    assert.deepEqual(
      await hits(range('VEVENT', '20240325T130000Z', '20240325T140000Z')),
      [],
      'COUNT=12 ended on 03-18',
    );
  });

  it('open-ended RRULE and RDATE', async () => {
    assert.ok((await hits(range('VEVENT', '20300615T120000Z', '20300615T121000Z'))).includes('daily.ics'));
    assert.deepEqual(
      await hits(range('VEVENT', '20191225T000000Z', '20191226T000000Z')),
      ['daily.ics'],
      'RDATE before DTSTART',
    );
    assert.deepEqual(await hits(range('VEVENT', '20191226T000000Z', '20191227T000000Z')), []);
    assert.ok((await hits(range('VEVENT', '20991230T000000Z'))).includes('daily.ics'), 'open end: start only');
  });

  it('all-day dates last one day, in the calendar or request time zone', async () => {
    assert.ok((await hits(range('VEVENT', '20240310T230000Z', '20240310T233000Z'))).includes('allday.ics'));
    assert.ok(!(await hits(range('VEVENT', '20240311T000000Z', '20240311T010000Z'))).includes('allday.ics'));
    // In Tokyo (UTC+9) the day 2024-03-10 is 2024-03-09T15:00Z – 2024-03-10T15:00Z.
    const tz = `<C:timezone><![CDATA[BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${TOKYO}END:VCALENDAR\r\n]]></C:timezone>`;
    assert.ok((await hits(range('VEVENT', '20240309T160000Z', '20240309T170000Z'), tz)).includes('allday.ics'));
    assert.ok(!(await hits(range('VEVENT', '20240310T160000Z', '20240310T170000Z'), tz)).includes('allday.ics'));
  });

  it('floating times are read in CALDAV:timezone (§9.8)', async () => {
    assert.ok(
      (await hits(range('VEVENT', '20240311T233000Z', '20240311T234500Z'))).includes('floating.ics'),
      'as UTC without a zone',
    );
    const tz = `<C:timezone><![CDATA[BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${NY}END:VCALENDAR\r\n]]></C:timezone>`;
    // 23:30 New York (EDT) = 03:30Z next day.
    assert.ok((await hits(range('VEVENT', '20240312T033000Z', '20240312T034500Z'), tz)).includes('floating.ics'));
    assert.ok(!(await hits(range('VEVENT', '20240311T233000Z', '20240311T234500Z'), tz)).includes('floating.ics'));
  });

  it('floating times are read in the calendar-timezone of the collection (§5.2.2) unless the request names one', async () => {
    const ny = '/dav/calendars/alice/ny/';
    const tz = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${NY}END:VCALENDAR\r\n`;
    assert.equal(
      (await mkcalendar(s.fetch, ny, ['VEVENT'], `<C:calendar-timezone><![CDATA[${tz}]]></C:calendar-timezone>`))
        .status,
      201,
    );
    assert.equal((await put(s.fetch, `${ny}f.ics`, OBJECTS['floating.ics'] as string)).status, 201);
    const q = async (start: string, end: string, extra = '') =>
      names((await report(s.fetch, ny, query(range('VEVENT', start, end), '<D:getetag/>', extra))).xml);
    assert.deepEqual(await q('20240312T033000Z', '20240312T034500Z'), ['f.ics'], '23:30 New York = 03:30Z');
    assert.deepEqual(await q('20240311T233000Z', '20240311T234500Z'), []);
    const tokyo = `<C:timezone><![CDATA[BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${TOKYO}END:VCALENDAR\r\n]]></C:timezone>`;
    assert.deepEqual(
      await q('20240311T143000Z', '20240311T144500Z', tokyo),
      ['f.ics'],
      'CALDAV:timezone wins: 23:30 Tokyo = 14:30Z',
    );
  });

  it('on an object resource the query tests that object (Depth 0); on the calendar Depth 0 still means its members', async () => {
    const q = query(range('VEVENT', '20240401T000000Z', '20240401T000100Z'));
    assert.deepEqual(names((await report(s.fetch, `${CAL}instant.ics`, q, '0')).xml), ['instant.ics']);
    assert.deepEqual(names((await report(s.fetch, `${CAL}allday.ics`, q, '0')).xml), []);
    assert.deepEqual(
      names((await report(s.fetch, CAL, q, '0')).xml),
      ['instant.ics'],
      'Evolution lists calendars with Depth: 0',
    );
  });

  it('zero-duration events: start <= DTSTART < end', async () => {
    assert.deepEqual(await hits(range('VEVENT', '20240401T000000Z', '20240401T000100Z')), ['instant.ics']);
    assert.deepEqual(await hits(range('VEVENT', '20240331T230000Z', '20240401T000000Z')), []);
  });

  it('the VTODO table of §9.9', async () => {
    const t = (a: string, b: string) => hits(range('VTODO', a, b));
    assert.deepEqual(
      await t('20240501T110000Z', '20240501T120000Z'),
      ['todo-created.ics'.replace('todo-created.ics', 'todo-due.ics'), 'todo-none.ics'].sort(),
      'DUE only: start < DUE <= end',
    );
    assert.ok(!(await t('20240501T120000Z', '20240501T130000Z')).includes('todo-due.ics'));
    assert.ok((await t('20240601T115900Z', '20240601T130000Z')).includes('todo-start-dur.ics'));
    assert.ok(
      (await t('20240701T000001Z', '20240702T000000Z')).includes('todo-created.ics'),
      'CREATED only: end > CREATED',
    );
    assert.ok(!(await t('20240601T000000Z', '20240630T000000Z')).includes('todo-created.ics'));
    assert.ok(
      (await t('20241001T093000Z', '20241001T094000Z')).includes('todo-recurring.ics'),
      'third monthly instance',
    );
    assert.ok(!(await t('20241101T093000Z', '20241101T094000Z')).includes('todo-recurring.ics'), 'COUNT=3 ended');
    assert.ok((await t('19000101T000000Z', '19000102T000000Z')).includes('todo-none.ics'), 'no dates: always');
  });

  it('the VJOURNAL table of §9.9', async () => {
    assert.deepEqual(await hits(range('VJOURNAL', '20240901T120000Z', '20240901T130000Z')), ['journal.ics']);
    assert.deepEqual(
      await hits(range('VJOURNAL', '19000101T000000Z', '21000101T000000Z')),
      ['journal.ics'],
      'no DTSTART: never',
    );
  });

  it('prop-filter time-range on DTSTAMP and text-match collations', async () => {
    const f = (inner: string) =>
      `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">${inner}</C:comp-filter></C:comp-filter>`;
    assert.equal(
      (
        await hits(
          f(
            '<C:prop-filter name="DTSTAMP"><C:time-range start="20240101T000000Z" end="20240101T000001Z"/></C:prop-filter>',
          ),
        )
      ).length,
      5,
    );
    assert.deepEqual(
      await hits(
        f(
          '<C:prop-filter name="SUMMARY"><C:text-match collation="i;ascii-casemap">daily STANDUP</C:text-match></C:prop-filter>',
        ),
      ),
      ['daily.ics'],
    );
    assert.deepEqual(
      await hits(
        f(
          '<C:prop-filter name="SUMMARY"><C:text-match collation="i;octet">daily standup</C:text-match></C:prop-filter>',
        ),
      ),
      [],
    );
    assert.deepEqual(
      await hits(
        f(
          '<C:prop-filter name="SUMMARY"><C:text-match collation="i;unicode-casemap">ÜNÏCODE</C:text-match></C:prop-filter>',
        ),
      ),
      ['allday.ics'],
    );
    assert.deepEqual(
      await hits(
        f(
          '<C:prop-filter name="SUMMARY"><C:text-match collation="i;ascii-casemap">ÜNÏCODE</C:text-match></C:prop-filter>',
        ),
      ),
      [],
      'ASCII casemap leaves Ü alone',
    );
    assert.deepEqual(
      await hits(f('<C:prop-filter name="RRULE"><C:is-not-defined/></C:prop-filter><C:prop-filter name="DURATION"/>')),
      ['floating.ics'],
    );
  });

  it('errors: unknown collation (supported-collation), bad time-range and nesting (valid-filter)', async () => {
    const bad = await report(
      s.fetch,
      CAL,
      query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match collation="i;klingon">x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>',
      ),
    );
    assert.equal(bad.status, 403);
    assert.match(bad.text, /supported-collation/);
    const tr = await report(s.fetch, CAL, query(range('VEVENT', '2024-01-01', '20240102T000000Z')));
    assert.equal(tr.status, 400);
    assert.match(tr.text, /valid-filter/);
    const nest = await report(
      s.fetch,
      CAL,
      query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:comp-filter name="VEVENT"/></C:comp-filter></C:comp-filter>',
      ),
    );
    assert.equal(nest.status, 403);
    assert.match(nest.text, /valid-filter/);
    const notCal = await report(s.fetch, CAL, query('<C:comp-filter name="VEVENT"/>'));
    assert.equal(notCal.status, 403);
  });
});

describe('RFC 5545 §3.8.4.4 RANGE=THISANDFUTURE overrides', () => {
  it('move every later instance in queries and expansion', async () => {
    const ics = cal('VEVENT', [
      'BEGIN:VEVENT',
      'UID:future',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20250106T100000Z',
      'DURATION:PT1H',
      'RRULE:FREQ=DAILY;COUNT=10',
      'SUMMARY:Before',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:future',
      'DTSTAMP:20240101T000000Z',
      'RECURRENCE-ID;RANGE=THISANDFUTURE:20250110T100000Z',
      'DTSTART:20250110T140000Z',
      'DURATION:PT2H',
      'SUMMARY:After',
      'END:VEVENT',
    ]);
    assert.equal((await put(s.fetch, `${CAL}future.ics`, ics)).status, 201);
    const at = (a: string, b: string) => hits(range('VEVENT', a, b));
    assert.ok((await at('20250109T100000Z', '20250109T103000Z')).includes('future.ics'), 'before the split: 10:00');
    assert.ok(
      !(await at('20250112T100000Z', '20250112T103000Z')).includes('future.ics'),
      'after the split 10:00 is free',
    );
    assert.ok(
      (await at('20250112T150000Z', '20250112T153000Z')).includes('future.ics'),
      'after the split: 14:00–16:00',
    );
    const r = await report(
      s.fetch,
      `${CAL}future.ics`,
      query(
        range('VEVENT', '20250111T000000Z', '20250113T000000Z'),
        '<C:calendar-data><C:expand start="20250111T000000Z" end="20250113T000000Z"/></C:calendar-data>',
      ),
      '0',
    );
    const text = r.text.replace(/\r?\n/g, '\n');
    assert.deepEqual(
      [...text.matchAll(/DTSTART:(\S+)/g)].map((m) => m[1]),
      ['20250111T140000Z', '20250112T140000Z'],
    );
    assert.deepEqual(
      [...text.matchAll(/RECURRENCE-ID:(\S+)/g)].map((m) => m[1]),
      ['20250111T100000Z', '20250112T100000Z'],
    );
    assert.equal((text.match(/SUMMARY:After/g) ?? []).length, 2);
  });
});

describe('RFC 5545 §3.8.5.2 RDATE without RRULE, and RDATE;VALUE=PERIOD', () => {
  it('DTSTART stays an instance; each PERIOD sets its own span', async () => {
    const ics = cal('VEVENT', [
      'UID:periods',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20260101T100000Z',
      'DURATION:PT1H',
      'RDATE;VALUE=PERIOD:20260105T100000Z/20260105T150000Z,20260103T100000Z/PT30M',
    ]);
    assert.equal((await put(s.fetch, `${CAL}periods.ics`, ics)).status, 201);
    const at = (a: string, b: string) => hits(range('VEVENT', a, b));
    assert.ok((await at('20260101T103000Z', '20260101T104000Z')).includes('periods.ics'), 'DTSTART');
    assert.ok((await at('20260105T143000Z', '20260105T144000Z')).includes('periods.ics'), 'the 5-hour period');
    assert.ok(
      !(await at('20260103T104000Z', '20260103T105000Z')).includes('periods.ics'),
      'the 30-minute period is over',
    );
  });
});
