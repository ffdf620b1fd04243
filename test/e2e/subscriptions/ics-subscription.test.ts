/**
 * .ics subscriptions (issue #13) over real HTTP on loopback: a feed served by a node:http server
 * in the test becomes a read-only calendar every CalDAV client sees (RFC 4791 calendar-query,
 * RFC 6578 sync-collection, RFC 3744 §7.1.1 need-privileges), refreshed conditionally
 * (RFC 9110 §13.1 If-None-Match → 304), and a failing feed keeps the old data.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  MAX_SUBSCRIPTIONS_PER_USER,
  refreshSubscription,
  subscribe,
} from '../../../src/domain/subscriptions/subscriptions.js';
import { DEFAULT_FEED_LIMITS, httpFeedFetcher } from '../../../src/http/feed-fetcher.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { calendarData, names, query, report, XML, type Fetch } from '../rfc4791/caldav-client.js';

interface FeedAnswer {
  status: number;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A feed server whose next answers the test sets; it records the request headers it saw. */
class Feed {
  answer: FeedAnswer = { status: 404, body: '' };
  seen: IncomingHttpHeaders[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.seen.push(req.headers);
      const a = this.answer;
      const etag = a.headers?.ETag;
      if (etag !== undefined && req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag }).end();
        return;
      }
      res.writeHead(a.status, { 'Content-Type': 'text/calendar; charset=utf-8', ...a.headers }).end(a.body);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/feed.ics`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()) ?? r());
  }
}

const vevent = (uid: string, day: string, summary: string): string[] => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20260101T000000Z',
  `DTSTART;VALUE=DATE:${day}`,
  `SUMMARY:${summary}`,
  'END:VEVENT',
];
const calendar = (...events: string[][]): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Feed//EN',
    'X-WR-CALNAME:Holidays',
    ...events.flat(),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

interface Login {
  cookie: string;
  csrf: string;
}
async function login(base: string, user: string): Promise<Login> {
  const res = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: `${user}-pw` }),
  });
  assert.equal(res.status, 200);
  return {
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!,
    csrf: ((await res.json()) as { csrf: string }).csrf,
  };
}
async function api(
  base: string,
  l: Login,
  path: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> & { error?: string } }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Cookie: l.cookie, 'X-Almanac-CSRF': l.csrf, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const sync = (token: string) =>
  `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
const tokenOf = (text: string): string =>
  /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1] ?? '';

const V1 = (): FeedAnswer => ({
  status: 200,
  headers: { ETag: '"v1"' },
  body: calendar(
    vevent('a', '20261224', 'Christmas Eve'),
    vevent('b', '20261225', 'Christmas'),
    vevent('c', '20261231', "New Year's Eve"),
  ),
});

/** One test's subscription: a feed server of its own and the calendar alice subscribed to it. */
interface Subscribed {
  readonly feed: Feed;
  readonly href: string;
  readonly created: { status: number; json: Record<string, unknown> };
  refresh(): ReturnType<typeof api>;
  members(): Promise<string[]>;
}

describe('.ics subscriptions: a read-only calendar fetched by the server (issue #13)', () => {
  let s: TestServer;
  let dav: Fetch;
  let l: Login;
  const feeds: Feed[] = [];

  before(async () => {
    s = await startTestServer({ config: { relayAllowPrivate: true, subscriptionCheckMs: 0 } });
    dav = davFetch(s.url);
    l = await login(s.url, 'alice');
  });
  after(async () => {
    await s.close();
    for (const f of feeds) await f.close();
  });

  /** Each test subscribes to a feed of its own (first answer `first`), so no test reads another's calendar. */
  async function subscribed(first: FeedAnswer = V1()): Promise<Subscribed> {
    const feed = new Feed();
    feeds.push(feed);
    await feed.start();
    feed.answer = first;
    const created = await api(s.url, l, '/app/subscriptions', 'POST', {
      url: feed.url,
      name: 'Holidays',
      color: '#3366CC',
      refresh: 'PT2H',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const href = String(created.json.href);
    return {
      feed,
      href,
      created,
      refresh: () => api(s.url, l, '/app/subscriptions/refresh', 'POST', { href }),
      members: async () => names((await report(dav, href, query('<C:comp-filter name="VCALENDAR"/>'))).xml),
    };
  }

  it('subscribing makes a calendar in the home with name, colour and the source in its description; CalDAV clients see the events', async () => {
    const { feed, href, created, members } = await subscribed();
    assert.equal(created.json.outcome, 'updated');
    assert.equal(created.json.refreshSeconds, 7200);
    assert.match(href, /^\/dav\/calendars\/alice\/holidays-[0-9a-f]{8}\/$/);

    const home = await dav('/dav/calendars/alice/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '1' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/"><D:prop><D:displayname/><D:resourcetype/><I:calendar-color/><C:calendar-description/></D:prop></D:propfind>',
    });
    const text = await home.text();
    assert.match(text, /<D:displayname[^>]*>Holidays<\/D:displayname>/);
    assert.match(text, /#3366CC/);
    assert.ok(text.includes(`Subscription to ${feed.url}`), text);
    assert.deepEqual(await members(), ['a.ics', 'b.ics', 'c.ics']);
    const data = calendarData(
      (await report(dav, href, query('<C:comp-filter name="VCALENDAR"/>', '<C:calendar-data/>'))).xml,
    );
    assert.match(data.get('b.ics') ?? '', /SUMMARY:Christmas\r?\n/);
  });

  it('RFC 3744: current-user-privilege-set has no write privilege; PUT, DELETE and PROPPATCH of members are 403 DAV:need-privileges', async () => {
    const { href, members } = await subscribed();
    const props = await dav(href, {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '0' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:current-user-privilege-set/></D:prop></D:propfind>',
    });
    const privileges = await props.text();
    assert.match(privileges, /<D:read\/>/);
    assert.doesNotMatch(privileges, /<D:write\/>|<D:bind\/>|<D:unbind\/>|<D:write-content\/>|<D:all\/>/);

    const put = await dav(`${href}new.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: calendar(vevent('new', '20260101', 'x')),
    });
    assert.equal(put.status, 403);
    assert.match(await put.text(), /need-privileges[\s\S]*bind/);
    const overwrite = await dav(`${href}a.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: calendar(vevent('a', '20260101', 'x')),
    });
    assert.equal(overwrite.status, 403);
    const del = await dav(`${href}a.ics`, { method: 'DELETE' });
    assert.equal(del.status, 403);
    assert.match(await del.text(), /need-privileges/);
    const patch = await dav(`${href}a.ics`, {
      method: 'PROPPATCH',
      headers: XML,
      body: '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(patch.status, 403);
    const mkcol = await dav(`${href}sub/`, { method: 'MKCOL' });
    assert.equal(mkcol.status, 403);
    assert.deepEqual(await members(), ['a.ics', 'b.ics', 'c.ics']);
  });

  it('RFC 6578: after the feed changes, a refresh writes only what changed and sync-collection reports exactly that', async () => {
    const { feed, href, refresh, members } = await subscribed();
    const first = await report(dav, href, sync(''), null);
    const token = tokenOf(first.text);
    assert.ok(token);
    feed.answer = {
      status: 200,
      body: calendar(
        vevent('a', '20261224', 'Christmas Eve'),
        vevent('b', '20261225', 'Christmas Day'),
        vevent('d', '20270101', 'New Year'),
      ),
      headers: { ETag: '"v2"' },
    };
    const r = await refresh();
    assert.equal(r.status, 200);
    assert.equal(r.json.outcome, 'updated');
    const delta = await report(dav, href, sync(token), null);
    assert.deepEqual(names(delta.xml), ['b.ics', 'c.ics', 'd.ics']);
    assert.match(delta.text, /c\.ics<\/D:href><D:status>HTTP\/1.1 404 Not Found/);
    assert.deepEqual(await members(), ['a.ics', 'b.ics', 'd.ics']);
  });

  it('RFC 9110 §13.1.2: the next fetch sends If-None-Match; a 304 changes nothing and moves no sync token', async () => {
    const { feed, href, refresh } = await subscribed();
    const token = tokenOf((await report(dav, href, sync(''), null)).text);
    const r = await refresh();
    assert.equal(r.json.outcome, 'not-modified');
    assert.equal(feed.seen.at(-1)?.['if-none-match'], '"v1"');
    assert.equal(tokenOf((await report(dav, href, sync(''), null)).text), token);
    assert.equal(r.json.lastError, null);
  });

  for (const [what, answer, error] of [
    ['a 500', { status: 500, body: 'oops' }, /answered 500/],
    ['more than 10 MB', { status: 200, body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) }, /larger than 10485760 bytes/],
    [
      'an HTML page',
      { status: 200, body: '<html><body>Login</body></html>', headers: { 'Content-Type': 'text/html' } },
      /not iCalendar/,
    ],
    [
      'text that is not iCalendar',
      { status: 200, body: 'hello', headers: { 'Content-Type': 'text/plain' } },
      /not iCalendar/,
    ],
  ] as const) {
    it(`a feed answering ${what} keeps the old data and records the error with the last success time`, async () => {
      const { feed, href, refresh, members } = await subscribed();
      const token = tokenOf((await report(dav, href, sync(''), null)).text);
      feed.answer = answer as FeedAnswer;
      const r = await refresh();
      assert.equal(r.json.outcome, 'failed');
      assert.match(String(r.json.lastError), error);
      assert.equal(typeof r.json.lastSuccessAt, 'number');
      assert.deepEqual(await members(), ['a.ics', 'b.ics', 'c.ics']);
      assert.equal(tokenOf((await report(dav, href, sync(''), null)).text), token);
      const listed = await api(s.url, l, '/app/subscriptions', 'GET');
      assert.match(JSON.stringify(listed.json), error);
    });
  }

  it('an object the PUT rules refuse (RFC 4791 §5.2.6 min-date-time) is skipped and its old version kept; the rest is applied', async () => {
    const { feed, refresh, members } = await subscribed();
    feed.answer = {
      status: 200,
      headers: { ETag: '"v3"' },
      body: calendar(
        vevent('a', '20261224', 'Christmas Eve'),
        ['BEGIN:VEVENT', 'UID:b', 'DTSTAMP:20260101T000000Z', 'DTSTART:18001225T100000Z', 'END:VEVENT'],
        vevent('e', '20270106', 'Epiphany'),
      ),
    };
    const r = await refresh();
    assert.equal(r.json.outcome, 'updated');
    assert.match(String(r.json.lastError), /1 object\(s\) skipped: UID b/);
    assert.deepEqual(await members(), ['a.ics', 'b.ics', 'e.ics']);
  });

  it('RFC 5545 §3.2.19: a TZID the feed names without a VTIMEZONE gets one from Intl, so the object is kept and its time is right', async () => {
    const { feed, href, refresh } = await subscribed();
    feed.answer = {
      status: 200,
      headers: { ETag: '"v4"' },
      body: calendar(vevent('a', '20261224', 'Christmas Eve'), [
        'BEGIN:VEVENT',
        'UID:meet',
        'DTSTAMP:20260101T000000Z',
        'DTSTART;TZID=Europe/Berlin:20270115T100000',
        'DTEND;TZID=Europe/Berlin:20270115T110000',
        'SUMMARY:Meeting',
        'END:VEVENT',
      ]),
    };
    const r = await refresh();
    assert.equal(r.json.outcome, 'updated');
    assert.equal(r.json.lastError, null);
    // 10:00 in Berlin in January is 09:00 UTC: a range 09:30–10:30 UTC finds it, one after 10:00 UTC does not.
    const range = (start: string, end: string) =>
      query(
        `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter>`,
      );
    assert.deepEqual(names((await report(dav, href, range('20270115T093000Z', '20270115T103000Z'))).xml), ['meet.ics']);
    assert.deepEqual(names((await report(dav, href, range('20270115T100000Z', '20270115T120000Z'))).xml), []);
    assert.match(
      calendarData((await report(dav, href, query('<C:comp-filter name="VCALENDAR"/>', '<C:calendar-data/>'))).xml).get(
        'meet.ics',
      ) ?? '',
      /BEGIN:VTIMEZONE[\s\S]*TZID:Europe\/Berlin/,
    );
  });

  it('the owner may rename the subscription and delete it as a whole (unsubscribe)', async () => {
    const { href } = await subscribed();
    const patch = await dav(href, {
      method: 'PROPPATCH',
      headers: XML,
      body: '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Feiertage</D:displayname></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(patch.status, 207);
    assert.match(await patch.text(), /200 OK/);
    const bob = davFetch(s.url, 'bob');
    assert.equal((await bob(href, { method: 'PROPFIND', headers: { Depth: '0' } })).status, 403);
    const listed = async (): Promise<string> => JSON.stringify((await api(s.url, l, '/app/subscriptions', 'GET')).json);
    assert.ok((await listed()).includes(href));
    assert.equal((await dav(href, { method: 'DELETE' })).status, 204);
    assert.ok(!(await listed()).includes(href), 'the subscription is gone from the list');
  });
});

describe('.ics subscriptions: bounded per user', () => {
  it(`a user has at most ${MAX_SUBSCRIPTIONS_PER_USER} subscriptions (the server fetches each of them)`, async () => {
    const s = await startTestServer({ config: { subscriptionCheckMs: 0 } });
    try {
      const alice = (await s.store.getUserByName('alice'))!;
      for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_USER; i++)
        await subscribe(s.store, alice, { url: `https://example.org/${i}.ics` });
      await assert.rejects(
        subscribe(s.store, alice, { url: 'https://example.org/one-more.ics' }),
        /at most 50 subscriptions per user/,
      );
      const bob = (await s.store.getUserByName('bob'))!;
      await subscribe(s.store, bob, { url: 'https://example.org/bob.ics' });
    } finally {
      await s.close();
    }
  });
});

describe(".ics subscriptions: a subscription without a name takes the feed's X-WR-CALNAME", () => {
  it('named after the host until the feed names itself; a name given is kept', async () => {
    const feed = new Feed();
    await feed.start();
    feed.answer = { status: 200, body: calendar(vevent('a', '20261224', 'Christmas Eve')) };
    const s = await startTestServer({ config: { relayAllowPrivate: true, subscriptionCheckMs: 0 } });
    try {
      const l = await login(s.url, 'alice');
      const displayName = async (href: string) =>
        /<D:displayname[^>]*>([^<]*)</.exec(
          await (
            await davFetch(s.url)(href, {
              method: 'PROPFIND',
              headers: { ...XML, Depth: '0' },
              body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>',
            })
          ).text(),
        )?.[1];
      const unnamed = await api(s.url, l, '/app/subscriptions', 'POST', { url: feed.url });
      assert.equal(await displayName(String(unnamed.json.href)), 'Holidays');
      const named = await api(s.url, l, '/app/subscriptions', 'POST', { url: feed.url, name: 'Mine' });
      assert.equal(await displayName(String(named.json.href)), 'Mine');
    } finally {
      await s.close();
      await feed.close();
    }
  });
});

describe(".ics subscriptions: the relay's address policy applies to feeds", () => {
  it('a loopback feed is refused without --relay-allow-private, with the flag named', async () => {
    const feed = new Feed();
    await feed.start();
    const s = await startTestServer({ config: { subscriptionCheckMs: 0 } });
    try {
      const l = await login(s.url, 'alice');
      const r = await api(s.url, l, '/app/subscriptions', 'POST', { url: feed.url.replace('http:', 'webcal:') });
      assert.equal(r.status, 403);
      assert.match(String(r.json.error), /--relay-allow-private/);
      assert.equal(feed.seen.length, 0);
      const bad = await api(s.url, l, '/app/subscriptions', 'POST', { url: 'ftp://example.org/x.ics' });
      assert.equal(bad.status, 400);
      // A subscription made another way (CLI, or a feed whose name resolves to loopback later)
      // is refused by the fetcher itself at connect time, and says why.
      const alice = (await s.store.getUserByName('alice'))!;
      const { collection } = await subscribe(s.store, alice, { url: feed.url });
      const outcome = await refreshSubscription(s.store, httpFeedFetcher(DEFAULT_FEED_LIMITS), collection.id, 'test');
      assert.equal(outcome.status, 'failed');
      assert.match(
        (await s.store.getSubscription(collection.id))?.lastError ?? '',
        /loopback or private.*--relay-allow-private/,
      );
      assert.equal(feed.seen.length, 0);
    } finally {
      await s.close();
      await feed.close();
    }
  });
});
