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
import type { CacheStats } from '../../../src/domain/caches.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { calendarData, event, names, put, query, report, XML, type Fetch } from '../rfc4791/caldav-client.js';
import { BERLIN_VTIMEZONE } from '../../helpers/event-body.js';

const CAL = '/dav/calendars/alice/default/';
const MONTH =
  '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/></C:comp-filter></C:comp-filter>';
const MONTH_QUERY = query(MONTH, '<D:getetag/><C:calendar-data/>');

let s: TestServer;
let alice: Fetch;
before(async () => {
  s = await startTestServer();
  alice = davFetch(s.url, 'alice');
});
after(() => s.close());

/** The report answer cache's statistics (domain/caches.ts `answers`). */
function stats(): CacheStats {
  const answers = s.cacheStats().answers;
  assert.ok(answers, 'the report answer cache is on');
  return answers;
}

/** Run `f`; assert how many answers it took from the cache. */
async function expectHits<T>(n: number, f: () => Promise<T>): Promise<T> {
  const before = stats().hits;
  const out = await f();
  assert.equal(stats().hits - before, n, `expected ${n} cached answer(s)`);
  return out;
}

function tokyoCalendarTimezone(): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//EN',
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Tokyo',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0900',
    'TZOFFSETTO:+0900',
    'TZNAME:JST',
    'END:STANDARD',
    'END:VTIMEZONE',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

async function proppatch(f: Fetch, path: string, inner: string): Promise<number> {
  const res = await f(path, {
    method: 'PROPPATCH',
    headers: XML,
    body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:x-almanac-test">${inner}</D:propertyupdate>`,
  });
  await res.text();
  return res.status;
}

/** A calendar of the calling test's own (so that no test reads another's writes), with a.ics in January 2024 if asked. */
async function newCalendar(name: string, withA = false): Promise<string> {
  const cal = `/dav/calendars/alice/${name}/`;
  assert.equal((await alice(cal, { method: 'MKCALENDAR' })).status, 201);
  if (withA)
    assert.equal((await put(alice, `${cal}a.ics`, event('a', '20240110T100000Z', '20240110T110000Z'))).status, 201);
  return cal;
}

describe('report answer cache: fresh after every write that changes the answer', () => {
  it('is on by default, and repeats an unchanged calendar-query answer byte for byte', async () => {
    const cal = await newCalendar('on-by-default');
    assert.ok(s.cacheStats().answers, 'the cache is on with the default configuration');
    assert.equal((await put(alice, `${cal}a.ics`, event('a', '20240110T100000Z', '20240110T110000Z'))).status, 201);
    const first = await report(alice, cal, MONTH_QUERY);
    assert.deepEqual(names(first.xml), ['a.ics']);
    const again = await expectHits(1, () => report(alice, cal, MONTH_QUERY));
    assert.equal(again.text, first.text);
  });

  it('RFC 4791 §7.8: a member PUT, overwrite and DELETE each show in the next identical query', async () => {
    const cal = await newCalendar('member-writes', true);
    await report(alice, cal, MONTH_QUERY);
    assert.equal((await put(alice, `${cal}b.ics`, event('b', '20240111T100000Z', '20240111T110000Z'))).status, 201);
    const added = await expectHits(0, () => report(alice, cal, MONTH_QUERY));
    assert.deepEqual(names(added.xml), ['a.ics', 'b.ics']);
    await expectHits(1, () => report(alice, cal, MONTH_QUERY));

    assert.equal((await put(alice, `${cal}b.ics`, event('b', '20240111T100000Z', '20240111T120000Z'))).status, 204);
    const changed = await expectHits(0, () => report(alice, cal, MONTH_QUERY));
    assert.match(calendarData(changed.xml).get('b.ics') ?? '', /DTEND:20240111T120000Z/);

    assert.equal((await alice(`${cal}b.ics`, { method: 'DELETE' })).status, 204);
    assert.deepEqual(names((await expectHits(0, () => report(alice, cal, MONTH_QUERY))).xml), ['a.ics']);
  });

  it('RFC 4791 §5.2.2: changing the calendar-timezone moves floating events in or out of a cached window', async () => {
    const cal = await newCalendar('timezone');
    const floating = event('f', '20240115T233000', '20240116T003000');
    assert.equal((await put(alice, `${cal}f.ics`, floating)).status, 201);
    // 23:30 floating: in [22:00Z, 24:00Z) in UTC; 14:30Z in Tokyo.
    const late = query(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240115T220000Z" end="20240116T000000Z"/></C:comp-filter></C:comp-filter>',
    );
    assert.deepEqual(names((await report(alice, cal, late)).xml), ['f.ics']);
    await expectHits(1, () => report(alice, cal, late));
    const tz = tokyoCalendarTimezone().replace(/&/g, '&amp;').replace(/</g, '&lt;');
    assert.equal(
      await proppatch(alice, cal, `<D:set><D:prop><C:calendar-timezone>${tz}</C:calendar-timezone></D:prop></D:set>`),
      207,
    );
    assert.deepEqual(
      names((await expectHits(0, () => report(alice, cal, late))).xml),
      [],
      'in Tokyo the event is at 14:30Z',
    );
    assert.equal(await proppatch(alice, cal, '<D:remove><D:prop><C:calendar-timezone/></D:prop></D:remove>'), 207);
    assert.deepEqual(names((await expectHits(0, () => report(alice, cal, late))).xml), ['f.ics']);
  });

  it("RFC 4918 §9.2: a member's dead property written by PROPPATCH shows in the next multiget", async () => {
    const cal = await newCalendar('dead-property', true);
    const multiget =
      '<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:x-almanac-test">' +
      `<D:prop><D:getetag/><X:color/></D:prop><D:href>${cal}a.ics</D:href></C:calendar-multiget>`;
    assert.doesNotMatch((await report(alice, cal, multiget)).text, /teal/);
    await expectHits(1, () => report(alice, cal, multiget));
    assert.equal(await proppatch(alice, `${cal}a.ics`, '<D:set><D:prop><X:color>teal</X:color></D:prop></D:set>'), 207);
    assert.match(
      (await expectHits(0, () => report(alice, cal, multiget))).text,
      /<X:color[^>]*>teal<\/X:color>|>teal</,
    );
  });

  it('RFC 6578 §3.2: the same sync token asked again after a change gets the change', async () => {
    const cal = await newCalendar('sync-token', true);
    const sync = (token: string): string =>
      `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
    const initial = await report(alice, cal, sync(''), null);
    const token = /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(initial.text)?.[1] ?? '';
    assert.ok(token);
    assert.deepEqual(names((await report(alice, cal, sync(token), null)).xml), []);
    assert.deepEqual(names((await expectHits(1, () => report(alice, cal, sync(token), null))).xml), []);
    assert.equal((await put(alice, `${cal}c.ics`, event('c', '20240112T100000Z', '20240112T110000Z'))).status, 201);
    assert.deepEqual(names((await expectHits(0, () => report(alice, cal, sync(token), null))).xml), ['c.ics']);
  });

  it("RFC 4918 §6: a member collection's etag in a cached answer follows writes inside it", async () => {
    const FILES = '/dav/files/alice/';
    assert.equal((await alice(`${FILES}sub/`, { method: 'MKCOL' })).status, 201);
    const sync =
      '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';
    const etagOfSub = (text: string): string =>
      new RegExp(`${FILES}sub/</D:href>.*?<D:getetag>([^<]+)</D:getetag>`, 's').exec(text)?.[1] ?? '';
    const before = etagOfSub((await report(alice, FILES, sync, null)).text);
    assert.ok(before);
    await expectHits(1, () => report(alice, FILES, sync, null));
    assert.equal((await alice(`${FILES}sub/x.txt`, { method: 'PUT', body: 'x' })).status, 201);
    const after = etagOfSub((await expectHits(0, () => report(alice, FILES, sync, null))).text);
    assert.ok(after);
    assert.notEqual(after, before);
  });

  it('RFC 3744 §7.1.1: another user never gets a cached answer, only the refusal', async () => {
    const cal = await newCalendar('other-user', true);
    await report(alice, cal, MONTH_QUERY);
    await expectHits(1, () => report(alice, cal, MONTH_QUERY));
    const bob = await expectHits(0, () => report(davFetch(s.url, 'bob'), cal, MONTH_QUERY));
    assert.equal(bob.status, 403);
    assert.doesNotMatch(bob.text, /a\.ics/);
  });

  it('RFC 9111 §5.2.1.4: Cache-Control: no-cache computes the answer afresh (same bytes when nothing changed)', async () => {
    const cal = await newCalendar('no-cache', true);
    const cached = await report(alice, cal, MONTH_QUERY);
    const res = await expectHits(0, () =>
      alice(cal, { method: 'REPORT', headers: { ...XML, Depth: '1', 'Cache-Control': 'no-cache' }, body: MONTH_QUERY }),
    );
    assert.equal(res.status, 207);
    assert.equal(await res.text(), cached.text);
  });

  it('RFC 9111 §5.2.1.4: a no-cache answer is kept once the same request was computed before, not the first time (issue #20)', async () => {
    const cal = await newCalendar('no-cache-twice', true);
    const fresh = async (): Promise<string> => {
      const res = await alice(cal, {
        method: 'REPORT',
        headers: { ...XML, Depth: '1', 'Cache-Control': 'no-cache' },
        body: MONTH_QUERY,
      });
      assert.equal(res.status, 207);
      return res.text();
    };
    const { entries } = stats();
    const once = await expectHits(0, fresh);
    assert.equal(stats().entries, entries, 'a request computed once leaves nothing kept');
    await expectHits(0, () => report(alice, cal, MONTH_QUERY)); // computed, and now kept
    await expectHits(0, fresh);
    const hit = await expectHits(1, () => report(alice, cal, MONTH_QUERY));
    assert.equal(hit.text, once);
  });

  it('reports that read beyond the collection are never cached: allprop (DAV:lockdiscovery) and free-busy', async () => {
    const cal = await newCalendar('beyond', true);
    const allprop =
      '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:allprop/>' +
      `<C:filter>${MONTH}</C:filter></C:calendar-query>`;
    const { entries, bytes } = stats();
    await report(alice, cal, allprop);
    await expectHits(0, () => report(alice, cal, allprop));
    const fb =
      '<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/></C:free-busy-query>';
    await report(alice, cal, fb);
    await expectHits(0, () => report(alice, cal, fb));
    // Nothing was kept (each request is new to the cache: keeping it would add an entry).
    assert.deepEqual([stats().entries, stats().bytes], [entries, bytes]);
  });
});

/**
 * Member fragments (dav/core/member-fragments.ts): after a change, answers are assembled from
 * the unchanged members' kept DAV:response text. Every answer must equal, byte for byte, what a
 * server with no caches computes for the same data and requests.
 */
describe('member fragments: answers equal those of a server without caches, write after write', () => {
  let cached: TestServer;
  let plain: TestServer;
  before(async () => {
    cached = await startTestServer();
    plain = await startTestServer({ config: { responseCacheBytes: 0, objectCacheBytes: 0 } });
  });
  after(async () => {
    await cached.close();
    await plain.close();
  });

  const BOOK = '/dav/addressbooks/alice/default/';
  const vcard = (uid: string, fn: string): string =>
    ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn};;;;`, 'END:VCARD', ''].join('\r\n');
  const weekly = event('w', '20240101T090000', '20240101T100000', ['RRULE:FREQ=WEEKLY;COUNT=10'])
    .replace(/DTSTART:/, 'DTSTART;TZID=Europe/Berlin:')
    .replace(/DTEND:/, 'DTEND;TZID=Europe/Berlin:')
    .replace('BEGIN:VEVENT', [...BERLIN_VTIMEZONE, 'BEGIN:VEVENT'].join('\r\n'));
  const expandWeek = query(
    '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240108T000000Z" end="20240115T000000Z"/></C:comp-filter></C:comp-filter>',
    '<D:getetag/><C:calendar-data><C:expand start="20240108T000000Z" end="20240115T000000Z"/></C:calendar-data>',
  );
  const calMultiget = (names: string[]): string =>
    '<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:x-almanac-test">' +
    `<D:prop><D:getetag/><X:color/><C:calendar-data/></D:prop>${names.map((n) => `<D:href>${CAL}${n}</D:href>`).join('')}</C:calendar-multiget>`;
  const cardMultiget = (names: string[]): string =>
    '<?xml version="1.0"?><CR:addressbook-multiget xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">' +
    `<D:prop><D:getetag/><CR:address-data/></D:prop>${names.map((n) => `<D:href>${BOOK}${n}</D:href>`).join('')}</CR:addressbook-multiget>`;

  /** Do the same on both servers; return both answers' texts. */
  async function both(f: (fetch: Fetch) => Promise<string>): Promise<[string, string]> {
    return [await f(davFetch(cached.url, 'alice')), await f(davFetch(plain.url, 'alice'))];
  }
  const write = async (f: (fetch: Fetch) => Promise<Response>): Promise<void> => {
    for (const fetch of [davFetch(cached.url, 'alice'), davFetch(plain.url, 'alice')]) {
      const res = await f(fetch);
      assert.ok(res.status < 300, `write answered ${res.status}: ${await res.text()}`);
    }
  };
  /** The reads, asked twice on the cached server (the second from the answer cache). */
  async function reads(): Promise<void> {
    const asks: [string, (fetch: Fetch) => Promise<string>][] = [
      ['month', async (f) => (await report(f, CAL, MONTH_QUERY)).text],
      ['expanded week', async (f) => (await report(f, CAL, expandWeek)).text],
      [
        'calendar multiget',
        async (f) => (await report(f, CAL, calMultiget(['a.ics', 'b.ics', 'w.ics', 'gone.ics']))).text,
      ],
      ['card multiget', async (f) => (await report(f, BOOK, cardMultiget(['c1.vcf', 'c2.vcf', 'c3.vcf']))).text],
    ];
    for (const [what, ask] of asks) {
      const [x, y] = await both(ask);
      assert.equal(x, y, `${what}: the answer built from fragments differs from the computed one`);
      assert.equal(await ask(davFetch(cached.url, 'alice')), y, `${what}: repeated`);
    }
  }

  it('RFC 4791 §7.8/§7.9, RFC 6352 §8.7: PUT, overwrite, dead property, MOVE within the collection, DELETE', async () => {
    await write((f) => put(f, `${CAL}a.ics`, event('a', '20240110T100000Z', '20240110T110000Z')));
    await write((f) => put(f, `${CAL}b.ics`, event('b', '20240111T100000Z', '20240111T110000Z')));
    await write((f) => put(f, `${CAL}w.ics`, weekly));
    for (const [n, fn] of [
      ['c1', 'Ada'],
      ['c2', 'Grace'],
      ['c3', 'Edsger'],
    ] as const) {
      await write((f) =>
        f(`${BOOK}${n}.vcf`, { method: 'PUT', headers: { 'Content-Type': 'text/vcard' }, body: vcard(n, fn) }),
      );
    }
    await reads();
    const hitsBefore = cached.cacheStats().fragments!.hits;
    await write((f) => put(f, `${CAL}c.ics`, event('c', '20240112T100000Z', '20240112T110000Z')));
    await reads();
    assert.ok(cached.cacheStats().fragments!.hits > hitsBefore, 'unchanged members came from fragments');
    await write((f) => put(f, `${CAL}a.ics`, event('a', '20240110T100000Z', '20240110T120000Z')));
    await write((f) =>
      f(`${BOOK}c2.vcf`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/vcard' },
        body: vcard('c2', 'Grace Hopper'),
      }),
    );
    await reads();
    await write((f) =>
      proppatch(f, `${CAL}b.ics`, '<D:set><D:prop><X:color>teal</X:color></D:prop></D:set>').then(
        (status) => new Response(null, { status: status === 207 ? 204 : status }),
      ),
    );
    await reads();
    await write((f) =>
      f(`${CAL}b.ics`, {
        method: 'MOVE',
        headers: { Destination: new URL(`${CAL}b2.ics`, 'http://x').pathname, Overwrite: 'F' },
      }),
    );
    await write((f) => f(`${CAL}w.ics`, { method: 'DELETE' }));
    await reads();
    const moved = (await report(davFetch(cached.url, 'alice'), CAL, MONTH_QUERY)).text;
    assert.match(moved, /b2\.ics/);
    assert.doesNotMatch(moved, /\/b\.ics</);
  });
});

describe('member fragments: what is not kept', () => {
  it("RFC 4791 §9.6.5: the responses of an expanded window are not kept as fragments, a plain query's are", async () => {
    const server = await startTestServer();
    try {
      const f = davFetch(server.url, 'alice');
      for (const d of ['10', '11', '12'])
        assert.equal(
          (await put(f, `${CAL}e${d}.ics`, event(`e${d}`, `202401${d}T100000Z`, `202401${d}T110000Z`))).status,
          201,
        );
      const entries = (): number => server.cacheStats().fragments!.entries;
      const before = entries();
      for (let day = 1; day <= 5; day++) {
        const start = `2024010${day}T000000Z`;
        const r = await report(
          f,
          CAL,
          query(
            `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="20240120T000000Z"/></C:comp-filter></C:comp-filter>`,
            `<D:getetag/><C:calendar-data><C:expand start="${start}" end="20240120T000000Z"/></C:calendar-data>`,
          ),
        );
        assert.equal(r.status, 207);
        assert.equal(r.text.split('RECURRENCE-ID').length - 1, 0);
        assert.equal(r.text.split('<D:response>').length - 1, 3);
      }
      assert.equal(entries(), before, 'each window would have kept three more');
      assert.equal((await report(f, CAL, MONTH_QUERY)).status, 207);
      assert.equal(entries(), before + 3, "a plain query's responses are kept");
    } finally {
      await server.close();
    }
  });
});
