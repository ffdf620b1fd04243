// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * RFC 4791 §5.3.2.1 (CALDAV:valid-calendar-data) with RFC 5545 §3.3.10 (RRULE): a recurrence or
 * time-zone rule that can never be expanded, or that breaks §3.3.10, is refused at PUT with the
 * reason — it used to hang the server (ical.js iterating for ever) or answer 500 — and a stored
 * series that is valid but huge fails only the report that reaches a bound (507), quickly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentEtag } from '../../../src/domain/etag.js';
import { event, mkcalendar, put, query, report, startCalServer, XML, type CalServer } from './caldav-client.js';
import { formatUtcDateTime } from '../../../src/formats/ical/time.js';

const CAL = '/dav/calendars/alice/default/';
const LEGACY = '/dav/calendars/alice/legacy';
const STORE_LEGACY = '/calendars/alice/legacy';
/** Every answer here must come well within this (the server used to hang for ever). */
const QUICK_MS = 3_000;
let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

async function refusedQuickly(name: string, ics: string, reason: RegExp): Promise<void> {
  const { value: res, ms } = await timed(() => put(s.fetch, `${CAL}${name}.ics`, ics));
  const body = await res.text();
  assert.equal(res.status, 403, `${name}: ${body}`);
  assert.match(body, /<C:valid-calendar-data/, body);
  assert.match(body, reason, body);
  assert.ok(ms < QUICK_MS, `${name} answered in ${ms.toFixed(0)} ms`);
}

const rrule = (uid: string, rule: string, extra: string[] = []): string =>
  event(uid, '20240101T100000Z', '20240101T110000Z', [`RRULE:${rule}`, ...extra]);

function zoned(uid: string, observanceRule: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//EN',
    'BEGIN:VTIMEZONE',
    'TZID:Test/Zone',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0000',
    `RRULE:${observanceRule}`,
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20240101T000000Z',
    'DTSTART;TZID=Test/Zone:20240101T100000',
    'DTEND;TZID=Test/Zone:20240101T110000',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('RFC 4791 §5.3.2.1 valid-calendar-data: recurrence rules that cannot be expanded', () => {
  it('a rule no date satisfies (DAILY;BYMONTH=2;BYMONTHDAY=30) is refused with the reason, not iterated for ever', async () => {
    await refusedQuickly(
      'feb30',
      rrule('feb30', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'),
      /BYMONTHDAY=30 never falls in BYMONTH=2/,
    );
    await refusedQuickly('apr31', rrule('apr31', 'FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31;COUNT=3'), /never falls/);
  });

  it('a VTIMEZONE observance recurring SECONDLY is refused, not expanded second by second since 1970', async () => {
    await refusedQuickly(
      'tz-secondly',
      zoned('tz-secondly', 'FREQ=SECONDLY'),
      /VTIMEZONE observance RRULE must not recur SECONDLY/,
    );
  });

  it('RFC 5545 §3.3.10 violations are refused (they were stored, or answered 500)', async () => {
    await refusedQuickly(
      'weekly-bymonthday',
      rrule('weekly-bymonthday', 'FREQ=WEEKLY;BYMONTHDAY=3'),
      /BYMONTHDAY must not be used with FREQ=WEEKLY/,
    );
    await refusedQuickly('tz-nofreq', zoned('tz-nofreq', 'BYMONTH=10;BYDAY=-1SU'), /no FREQ/);
    await refusedQuickly(
      'interval0',
      rrule('interval0', 'FREQ=DAILY;INTERVAL=0'),
      /INTERVAL=0: must be a positive integer/,
    );
    await refusedQuickly(
      'count-neg',
      rrule('count-neg', 'FREQ=DAILY;COUNT=-1'),
      /COUNT=-1: must be a positive integer/,
    );
    await refusedQuickly(
      'yearday-daily',
      rrule('yearday-daily', 'FREQ=DAILY;BYYEARDAY=100'),
      /BYYEARDAY must not be used/,
    );
  });

  it('10,000 nested components are refused as too deep (they overflowed the stack: 500)', async () => {
    const nested = event('nested', '20240101T100000Z', '20240101T110000Z', [
      ...Array(10_000).fill('BEGIN:X-A'),
      ...Array(10_000).fill('END:X-A'),
    ]);
    await refusedQuickly('nested', nested, /nested more than \d+ deep/);
  });

  it('a property with 40,000 parameters is refused (the limit on parameters per property)', async () => {
    await refusedQuickly(
      'params',
      event('params', '20240101T100000Z', '20240101T110000Z', [`X-MANY${';X-P=1'.repeat(40_000)}:v`]),
      /more than 100 parameters/,
    );
  });

  it('a long run of consecutive EXDATEs is stored and queried (ical.js gave up after 500: 500)', async () => {
    const exdates = Array.from(
      { length: 8_064 },
      (_, i) => `EXDATE:${formatUtcDateTime(Date.UTC(2024, 0, 1 + i, 10))}`,
    );
    const res = await put(s.fetch, `${CAL}exdates.ics`, rrule('exdates', 'FREQ=DAILY', exdates));
    assert.equal(res.status, 201, await res.text());
    // 2046-01-29 is the first day after the 8,064 excluded ones.
    const hit = await report(
      s.fetch,
      CAL,
      query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20460101T000000Z" end="20460201T000000Z"/></C:comp-filter></C:comp-filter>',
      ),
    );
    assert.equal(hit.status, 207, hit.text);
    assert.match(hit.text, /exdates\.ics/);
    const miss = await report(
      s.fetch,
      CAL,
      query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20300101T000000Z" end="20300201T000000Z"/></C:comp-filter></C:comp-filter>',
      ),
    );
    assert.equal(miss.status, 207, miss.text);
    assert.doesNotMatch(miss.text, /exdates\.ics/);
  });

  it('more overrides than the per-object limit are refused with the reason', async () => {
    const overrides = Array.from({ length: 1_001 }, (_, i) => {
      const d = formatUtcDateTime(Date.UTC(2024, 0, 2 + i, 10));
      return [
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:many',
        'DTSTAMP:20240101T000000Z',
        `RECURRENCE-ID:${d}`,
        `DTSTART:${d}`,
        'DURATION:PT1H',
      ].join('\r\n');
    });
    await refusedQuickly('many', rrule('many', 'FREQ=DAILY', overrides), /more than 1000 overridden instances/);
  });
});

describe('RFC 4791 §7.8–7.10 on a valid but huge series: bounded, the one report fails (507)', () => {
  before(async () => {
    const res = await put(s.fetch, `${CAL}secondly.ics`, rrule('secondly', 'FREQ=SECONDLY'));
    assert.equal(res.status, 201, await res.text());
  });

  it('a 100-year time-range query over a SECONDLY series matches at once', async () => {
    const { value, ms } = await timed(() =>
      report(
        s.fetch,
        CAL,
        query(
          '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" end="21240101T000000Z"/></C:comp-filter></C:comp-filter>',
        ),
      ),
    );
    assert.equal(value.status, 207, value.text);
    assert.match(value.text, /secondly\.ics/);
    assert.ok(ms < QUICK_MS, `${ms.toFixed(0)} ms`);
  });

  it('expand of a SECONDLY series over a day is 507 number-of-matches-within-limits, quickly', async () => {
    const body = query(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" end="20240102T000000Z"/></C:comp-filter></C:comp-filter>',
      '<C:calendar-data><C:expand start="20240101T000000Z" end="20240102T000000Z"/></C:calendar-data>',
    );
    const { value, ms } = await timed(() => report(s.fetch, CAL, body));
    assert.equal(value.status, 507, value.text);
    assert.match(value.text, /number-of-matches-within-limits/);
    assert.match(value.text, /more than \d+ instances/);
    assert.ok(ms < QUICK_MS, `${ms.toFixed(0)} ms`);
  });

  it('a free-busy query over a SECONDLY series is 507 for a month (it overflowed the stack: 500), 200 for an hour', async () => {
    const fb = (start: string, end: string): string =>
      `<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${start}" end="${end}"/></C:free-busy-query>`;
    const month = await s.fetch(CAL, {
      method: 'REPORT',
      headers: { ...XML, Depth: '1' },
      body: fb('20240101T000000Z', '20240201T000000Z'),
    });
    const text = await month.text();
    assert.equal(month.status, 507, text);
    assert.match(text, /number-of-matches-within-limits/);
    const hour = await s.fetch(CAL, {
      method: 'REPORT',
      headers: { ...XML, Depth: '1' },
      body: fb('20240101T100000Z', '20240101T110000Z'),
    });
    assert.equal(hour.status, 200, await hour.text());
  });

  it('a rule stored before validation (WEEKLY;BYMONTHDAY) matches nothing instead of failing every query with 500', async () => {
    assert.equal((await mkcalendar(s.fetch, `${LEGACY}/`)).status, 201);
    const store = s.server.store;
    const coll = await store.getResource(STORE_LEGACY);
    assert.ok(coll);
    const body = new TextEncoder().encode(rrule('legacy', 'FREQ=WEEKLY;BYMONTHDAY=3'));
    await store.transaction(['/calendars/alice'], (tx) =>
      tx.putObject(`${STORE_LEGACY}/legacy.ics`, {
        ownerId: coll.ownerId,
        body,
        contentType: 'text/calendar; charset=utf-8',
        etag: contentEtag(body),
        index: { uid: 'legacy', component: 'VEVENT', firstStart: null, lastEnd: null },
      }),
    );
    const res = await report(
      s.fetch,
      `${LEGACY}/`,
      query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20250101T000000Z" end="20250201T000000Z"/></C:comp-filter></C:comp-filter>',
      ),
    );
    assert.equal(res.status, 207, res.text);
    assert.doesNotMatch(res.text, /legacy\.ics/);
  });
});
