/**
 * The report answer cache (dav/core/response-cache.ts) never serves an answer for a state other
 * than the one it was computed from: every kind of write that changes what a report reads —
 * a member PUT/DELETE (RFC 4791 §7.8, RFC 6578 §3), a member's dead property (RFC 4918 §9.2),
 * the calendar's CALDAV:calendar-timezone (RFC 4791 §5.2.2, floating times), a member
 * collection's own change feed (its etag) — is seen by the next identical request, and a cached
 * answer is never given to another user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { calendarData, event, names, put, query, report, XML, type Fetch } from '../rfc4791/caldav-client.js';

const CAL = '/dav/calendars/alice/default/';
const MONTH = '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/></C:comp-filter></C:comp-filter>';
const MONTH_QUERY = query(MONTH, '<D:getetag/><C:calendar-data/>');

let s: TestServer;
let alice: Fetch;
before(async () => {
  s = await startTestServer();
  alice = davFetch(s.url, 'alice');
});
after(() => s.close());

const stats = (): { hits: number; stored: number } => ({ hits: s.responseCacheStats!.hits, stored: s.responseCacheStats!.stored });

/** Run `f`; assert how many answers it took from the cache. */
async function expectHits<T>(n: number, f: () => Promise<T>): Promise<T> {
  const before = stats().hits;
  const out = await f();
  assert.equal(stats().hits - before, n, `expected ${n} cached answer(s)`);
  return out;
}

function tokyoCalendarTimezone(): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Almanac tests//EN', 'BEGIN:VTIMEZONE', 'TZID:Asia/Tokyo',
    'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0900', 'TZOFFSETTO:+0900', 'TZNAME:JST', 'END:STANDARD',
    'END:VTIMEZONE', 'END:VCALENDAR', ''].join('\r\n');
}

async function proppatch(f: Fetch, path: string, inner: string): Promise<number> {
  const res = await f(path, {
    method: 'PROPPATCH', headers: XML,
    body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:x-almanac-test">${inner}</D:propertyupdate>`,
  });
  await res.text();
  return res.status;
}

describe('report answer cache: fresh after every write that changes the answer', () => {
  it('is on by default, and repeats an unchanged calendar-query answer byte for byte', async () => {
    assert.ok(s.responseCacheStats, 'the cache is on with the default configuration');
    assert.equal((await put(alice, `${CAL}a.ics`, event('a', '20240110T100000Z', '20240110T110000Z'))).status, 201);
    const first = await report(alice, CAL, MONTH_QUERY);
    assert.deepEqual(names(first.xml), ['a.ics']);
    const again = await expectHits(1, () => report(alice, CAL, MONTH_QUERY));
    assert.equal(again.text, first.text);
  });

  it('RFC 4791 §7.8: a member PUT, overwrite and DELETE each show in the next identical query', async () => {
    await report(alice, CAL, MONTH_QUERY);
    assert.equal((await put(alice, `${CAL}b.ics`, event('b', '20240111T100000Z', '20240111T110000Z'))).status, 201);
    const added = await expectHits(0, () => report(alice, CAL, MONTH_QUERY));
    assert.deepEqual(names(added.xml), ['a.ics', 'b.ics']);
    await expectHits(1, () => report(alice, CAL, MONTH_QUERY));

    assert.equal((await put(alice, `${CAL}b.ics`, event('b', '20240111T100000Z', '20240111T120000Z'))).status, 204);
    const changed = await expectHits(0, () => report(alice, CAL, MONTH_QUERY));
    assert.match(calendarData(changed.xml).get('b.ics') ?? '', /DTEND:20240111T120000Z/);

    assert.equal((await alice(`${CAL}b.ics`, { method: 'DELETE' })).status, 204);
    assert.deepEqual(names((await expectHits(0, () => report(alice, CAL, MONTH_QUERY))).xml), ['a.ics']);
  });

  it('RFC 4791 §5.2.2: changing the calendar-timezone moves floating events in or out of a cached window', async () => {
    const floating = event('f', '20240115T233000', '20240116T003000');
    assert.equal((await put(alice, `${CAL}f.ics`, floating)).status, 201);
    // 23:30 floating: in [22:00Z, 24:00Z) in UTC; 14:30Z in Tokyo.
    const late = query('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240115T220000Z" end="20240116T000000Z"/></C:comp-filter></C:comp-filter>');
    assert.deepEqual(names((await report(alice, CAL, late)).xml), ['f.ics']);
    await expectHits(1, () => report(alice, CAL, late));
    const tz = tokyoCalendarTimezone().replace(/&/g, '&amp;').replace(/</g, '&lt;');
    assert.equal(await proppatch(alice, CAL, `<D:set><D:prop><C:calendar-timezone>${tz}</C:calendar-timezone></D:prop></D:set>`), 207);
    assert.deepEqual(names((await expectHits(0, () => report(alice, CAL, late))).xml), [], 'in Tokyo the event is at 14:30Z');
    assert.equal(await proppatch(alice, CAL, '<D:remove><D:prop><C:calendar-timezone/></D:prop></D:remove>'), 207);
    assert.deepEqual(names((await expectHits(0, () => report(alice, CAL, late))).xml), ['f.ics']);
  });

  it("RFC 4918 §9.2: a member's dead property written by PROPPATCH shows in the next multiget", async () => {
    const multiget = '<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:x-almanac-test">'
      + `<D:prop><D:getetag/><X:color/></D:prop><D:href>${CAL}a.ics</D:href></C:calendar-multiget>`;
    assert.doesNotMatch((await report(alice, CAL, multiget)).text, /teal/);
    await expectHits(1, () => report(alice, CAL, multiget));
    assert.equal(await proppatch(alice, `${CAL}a.ics`, '<D:set><D:prop><X:color>teal</X:color></D:prop></D:set>'), 207);
    assert.match((await expectHits(0, () => report(alice, CAL, multiget))).text, /<X:color[^>]*>teal<\/X:color>|>teal</);
  });

  it('RFC 6578 §3.2: the same sync token asked again after a change gets the change', async () => {
    const sync = (token: string): string => `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
    const initial = await report(alice, CAL, sync(''), null);
    const token = /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(initial.text)?.[1] ?? '';
    assert.ok(token);
    assert.deepEqual(names((await report(alice, CAL, sync(token), null)).xml), []);
    assert.deepEqual(names((await expectHits(1, () => report(alice, CAL, sync(token), null))).xml), []);
    assert.equal((await put(alice, `${CAL}c.ics`, event('c', '20240112T100000Z', '20240112T110000Z'))).status, 201);
    assert.deepEqual(names((await expectHits(0, () => report(alice, CAL, sync(token), null))).xml), ['c.ics']);
  });

  it("RFC 4918 §6: a member collection's etag in a cached answer follows writes inside it", async () => {
    const FILES = '/dav/files/alice/';
    assert.equal((await alice(`${FILES}sub/`, { method: 'MKCOL' })).status, 201);
    const sync = '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';
    const etagOfSub = (text: string): string => new RegExp(`${FILES}sub/</D:href>.*?<D:getetag>([^<]+)</D:getetag>`, 's').exec(text)?.[1] ?? '';
    const before = etagOfSub((await report(alice, FILES, sync, null)).text);
    assert.ok(before);
    await expectHits(1, () => report(alice, FILES, sync, null));
    assert.equal((await alice(`${FILES}sub/x.txt`, { method: 'PUT', body: 'x' })).status, 201);
    const after = etagOfSub((await expectHits(0, () => report(alice, FILES, sync, null))).text);
    assert.ok(after);
    assert.notEqual(after, before);
  });

  it("RFC 3744 §7.1.1: another user never gets a cached answer, only the refusal", async () => {
    await report(alice, CAL, MONTH_QUERY);
    await expectHits(1, () => report(alice, CAL, MONTH_QUERY));
    const bob = await expectHits(0, () => report(davFetch(s.url, 'bob'), CAL, MONTH_QUERY));
    assert.equal(bob.status, 403);
    assert.doesNotMatch(bob.text, /a\.ics/);
  });

  it('RFC 9111 §5.2.1.4: Cache-Control: no-cache computes the answer afresh (same bytes when nothing changed)', async () => {
    const cached = await report(alice, CAL, MONTH_QUERY);
    const res = await expectHits(0, () => alice(CAL, { method: 'REPORT', headers: { ...XML, Depth: '1', 'Cache-Control': 'no-cache' }, body: MONTH_QUERY }));
    assert.equal(res.status, 207);
    assert.equal(await res.text(), cached.text);
  });

  it('reports that read beyond the collection are never cached: allprop (DAV:lockdiscovery) and free-busy', async () => {
    const allprop = '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:allprop/>'
      + `<C:filter>${MONTH}</C:filter></C:calendar-query>`;
    const stored = stats().stored;
    await report(alice, CAL, allprop);
    await expectHits(0, () => report(alice, CAL, allprop));
    const fb = '<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/></C:free-busy-query>';
    await report(alice, CAL, fb);
    await expectHits(0, () => report(alice, CAL, fb));
    assert.equal(stats().stored, stored);
  });
});
