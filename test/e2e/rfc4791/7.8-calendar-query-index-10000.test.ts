/**
 * RFC 4791 §7.8 / §7.9 at scale: a 10,000-event calendar answers a one-month time-range query,
 * an expanded week and a 100-item multiget from the index, parsing only the candidates. How fast
 * is the benchmark's (calendar-query-month, calendar-query-expand-week and calendar-multiget-100 at
 * `npm run bench -- --size 10k`, docs/PERFORMANCE.md); these tests count what is parsed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { prepareCalendarObject } from '../../../src/domain/calendar/object.js';
import { parseStats } from '../../../src/formats/ical/ical.js';
import { contentEtag } from '../../../src/domain/etag.js';
import { calendarData, event, names, query, report, startCalServer, type CalServer } from './caldav-client.js';

const CAL = '/dav/calendars/alice/default';
const STORE_PATH = '/calendars/alice/default';
const N = 10_000;
let s: CalServer;

const day = (i: number): Date =>
  new Date(Date.UTC(2023, 0, 1) + Math.floor(i / 14) * 86_400_000 + (i % 14) * 3_600_000);
const ical = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

before(async () => {
  s = await startCalServer();
  const store = s.server.store;
  const coll = await store.getResource(STORE_PATH);
  assert.ok(coll);
  const limits = { components: ['VEVENT', 'VTODO'], maxResourceSize: 1 << 20, maxInstances: 10_000 };
  await store.transaction(['/calendars/alice'], async (tx) => {
    for (let i = 0; i < N; i++) {
      const start = day(i);
      const extra = i % 500 === 0 ? ['RRULE:FREQ=WEEKLY'] : [];
      const body = new TextEncoder().encode(
        event(`ev-${i}`, ical(start), ical(new Date(start.getTime() + 1_800_000)), extra),
      );
      const path = `${STORE_PATH}/ev-${i}.ics`;
      const p = await prepareCalendarObject(tx, coll, path, body, 'text/calendar', limits);
      await tx.putObject(path, {
        ownerId: coll.ownerId,
        body: p.body,
        contentType: 'text/calendar; charset=utf-8',
        etag: contentEtag(p.body),
        index: p.index,
      });
    }
  });
});
after(() => s.close());

/** The answer and how many calendar objects the server parsed for it. */
async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; parsed: number }> {
  const before = parseStats.count;
  const value = await fn();
  return { value, parsed: parseStats.count - before };
}

const month = `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240301T000000Z" end="20240401T000000Z"/></C:comp-filter></C:comp-filter>`;

describe('calendar-query over 10,000 events uses the index', () => {
  it('a one-month time-range query parses only the candidates', async () => {
    process.env.ALMANAC_DEBUG_QUERY = '0';
    const r = await counted(() => report(s.fetch, `${CAL}/`, query(month)));
    assert.equal(r.value.status, 207);
    // 31 days × 14 events, plus the weekly series (one per 500) that reach March 2024.
    const found = names(r.value.xml).length;
    assert.ok(found >= 31 * 14 && found < 31 * 14 + 30, `found ${found}`);
    assert.ok(r.parsed < 700, `parsed ${r.parsed} of ${N}`);
  });

  it('an expanded week returns instances, parsing only the candidates', async () => {
    process.env.ALMANAC_DEBUG_QUERY = '0';
    const week = `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240304T000000Z" end="20240311T000000Z"/></C:comp-filter></C:comp-filter>`;
    const r = await counted(() =>
      report(
        s.fetch,
        `${CAL}/`,
        query(
          week,
          '<D:getetag/><C:calendar-data><C:expand start="20240304T000000Z" end="20240311T000000Z"/></C:calendar-data>',
        ),
      ),
    );
    assert.equal(r.value.status, 207);
    const data = [...calendarData(r.value.xml).values()];
    assert.ok(data.length >= 7 * 14);
    assert.ok(data.every((d) => !/RRULE/.test(d)));
    assert.ok(r.parsed < 400, `parsed ${r.parsed}`);
  });

  it('a 100-item multiget reads 100 rows and parses nothing', async () => {
    const hrefs = Array.from(
      { length: 100 },
      (_v, i) => `<D:href>/dav/calendars/alice/default/ev-${i * 97}.ics</D:href>`,
    ).join('');
    const body = `<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs}</C:calendar-multiget>`;
    const r = await counted(() => report(s.fetch, `${CAL}/`, body));
    assert.equal(calendarData(r.value.xml).size, 100);
    assert.equal(r.parsed, 0);
  });

  it('with ALMANAC_DEBUG_QUERY=1 the index path and the full scan agree', async () => {
    process.env.ALMANAC_DEBUG_QUERY = '1';
    const r = await report(s.fetch, `${CAL}/`, query(month));
    assert.equal(r.status, 207, r.text.slice(0, 500));
  });
});
