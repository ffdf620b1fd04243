// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * RFC 4791 §9.9 with time zones (§9.8, §5.2.2): floating and all-day events in a calendar whose
 * calendar-timezone is far from UTC (Pacific/Kiritimati, +14) — membership, CALDAV:expand
 * (§9.6.5: floating values converted with the zone) and free-busy (§7.10); and a query with an
 * inline CALDAV:timezone over daily series running since 1900 in a zone defined by 400 historic
 * RDATEs (issue #15 item 11: it took 25 s; the answer must be right and come fast).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  calendarData,
  mkcalendar,
  names,
  put,
  query,
  report,
  startCalServer,
  unfold,
  type CalServer,
} from './caldav-client.js';

const KIR =
  'BEGIN:VTIMEZONE\r\nTZID:Pacific/Kiritimati\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+1400\r\nTZOFFSETTO:+1400\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';
const H = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Almanac tests//EN\r\n';
const vevent = (lines: string[], tz = ''): string =>
  `${H}${tz}BEGIN:VEVENT\r\nDTSTAMP:20240101T000000Z\r\n${lines.join('\r\n')}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const range = (start: string, end: string): string =>
  `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter>`;
const freeBusy = (start: string, end: string): string =>
  `<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${start}" end="${end}"/></C:free-busy-query>`;

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

describe('RFC 4791 §9.9 floating and all-day events in a calendar at +14 (calendar-timezone, §5.2.2)', () => {
  const CAL = '/dav/calendars/alice/kiritimati/';
  before(async () => {
    assert.equal(
      (
        await mkcalendar(
          s.fetch,
          CAL,
          ['VEVENT'],
          `<C:calendar-timezone><![CDATA[${H}${KIR}END:VCALENDAR\r\n]]></C:calendar-timezone>`,
        )
      ).status,
      201,
    );
    assert.equal(
      (
        await put(
          s.fetch,
          `${CAL}late.ics`,
          vevent([
            'UID:late',
            'DTSTART:20240311T233000',
            'DTEND:20240312T003000',
            'RRULE:FREQ=DAILY;COUNT=2',
            'SUMMARY:late',
          ]),
        )
      ).status,
      201,
    );
    assert.equal(
      (await put(s.fetch, `${CAL}day.ics`, vevent(['UID:day', 'DTSTART;VALUE=DATE:20240320', 'SUMMARY:day']))).status,
      201,
    );
  });

  it('membership: 23:30 floating is 09:30Z; the all-day 20 March is 19 March 10:00Z to 20 March 10:00Z', async () => {
    const hits = async (a: string, b: string): Promise<string[]> =>
      names((await report(s.fetch, CAL, query(range(a, b)))).xml);
    assert.deepEqual(await hits('20240311T090000Z', '20240311T100000Z'), ['late.ics']);
    assert.deepEqual(await hits('20240311T230000Z', '20240312T000000Z'), [], 'not read as UTC');
    assert.deepEqual(await hits('20240319T110000Z', '20240319T120000Z'), ['day.ics']);
    assert.deepEqual(await hits('20240320T110000Z', '20240320T120000Z'), [], 'the day has ended at +14');
  });

  it('CALDAV:expand gives the floating instances in UTC as the zone reads them (§9.6.5)', async () => {
    const cd = '<C:calendar-data><C:expand start="20240311T000000Z" end="20240314T000000Z"/></C:calendar-data>';
    const data =
      calendarData((await report(s.fetch, CAL, query(range('20240311T000000Z', '20240314T000000Z'), cd))).xml).get(
        'late.ics',
      ) ?? '';
    assert.deepEqual(
      unfold(data).filter((l) => l.startsWith('DTSTART')),
      ['DTSTART:20240311T093000Z', 'DTSTART:20240312T093000Z'],
    );
  });

  it('free-busy reads both in the zone (§7.10)', async () => {
    const res = await report(s.fetch, CAL, freeBusy('20240310T000000Z', '20240322T000000Z'), '1');
    assert.equal(res.status, 200);
    assert.deepEqual(
      unfold(res.text).filter((l) => l.startsWith('FREEBUSY')),
      [
        'FREEBUSY:20240311T093000Z/20240311T103000Z',
        'FREEBUSY:20240312T093000Z/20240312T103000Z',
        'FREEBUSY:20240319T100000Z/20240320T100000Z',
      ],
    );
  });
});

describe('RFC 4791 §9.8 an inline CALDAV:timezone over daily series since 1900 in a zone of 400 historic RDATEs', () => {
  const CAL = '/dav/calendars/alice/history/';
  const rdates = (month: string, hour: string): string =>
    Array.from({ length: 200 }, (_, i) => `${1900 + i}${month}01T${hour}0000`).join(',');
  const HIST =
    `BEGIN:VTIMEZONE\r\nTZID:Hist\r\nBEGIN:DAYLIGHT\r\nDTSTART:18900401T020000\r\nRDATE:${rdates('04', '02')}\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n` +
    `BEGIN:STANDARD\r\nDTSTART:18901001T030000\r\nRDATE:${rdates('10', '03')}\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n`;
  before(async () => {
    assert.equal((await mkcalendar(s.fetch, CAL, ['VEVENT'])).status, 201);
    for (let i = 0; i < 5; i++) {
      const ev = vevent(
        [
          `UID:hist-${i}`,
          `DTSTART;TZID=Hist:19000101T0${i}0000`,
          `DTEND;TZID=Hist:19000101T0${i}3000`,
          'RRULE:FREQ=DAILY',
          'SUMMARY:since 1900',
        ],
        HIST,
      );
      assert.equal((await put(s.fetch, `${CAL}hist-${i}.ics`, ev)).status, 201);
    }
  });

  it('a month of 2024 expanded: 5 × 31 instances, right, in seconds rather than the 25 s it took', async () => {
    const tz = `<C:timezone><![CDATA[${H}${HIST}END:VCALENDAR\r\n]]></C:timezone>`;
    const cd = '<C:calendar-data><C:expand start="20240101T000000Z" end="20240201T000000Z"/></C:calendar-data>';
    const t0 = performance.now();
    const res = await report(s.fetch, CAL, query(range('20240101T000000Z', '20240201T000000Z'), cd, tz));
    const ms = performance.now() - t0;
    console.log(`# 5 daily series since 1900, a month expanded with an inline timezone: ${Math.round(ms)} ms`);
    assert.equal(res.status, 207);
    const data = calendarData(res.xml);
    assert.equal(data.size, 5);
    // Midnight in Hist (+01:00 in winter) is 23:00Z the day before: 1 January's instance ended
    // before the range began, 2 January's is the first.
    assert.deepEqual(
      unfold(data.get('hist-0.ics') ?? '')
        .filter((l) => l.startsWith('DTSTART'))
        .slice(0, 2),
      ['DTSTART:20240101T230000Z', 'DTSTART:20240102T230000Z'],
    );
    for (const d of data.values()) assert.equal(unfold(d).filter((l) => l.startsWith('RECURRENCE-ID')).length, 31);
    assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);
  });
});
