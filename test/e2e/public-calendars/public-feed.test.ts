/**
 * Public read-only links to a calendar (issue #17 item 7): `/public/calendars/TOKEN.ics` serves
 * the calendar as one iCalendar file (RFC 5545 §3.4, VTIMEZONEs included) without a login, with
 * ETag and conditional GET (RFC 9110 §13.1.2), the public copy of each item (no alarms, no
 * attendee addresses, CLASS PRIVATE/CONFIDENTIAL busy-only, RFC 5545 §3.8.1.3); the link is made
 * and ended from the web app's API and the command line, and a revoked link is 404 at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { BERLIN_VTIMEZONE } from '../../../src/formats/ical/berlin-zone.fixture.js';
import { ALMANAC } from '../../helpers/cli-server.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { startTwoPostgresNodes } from '../../helpers/two-nodes.js';

const CAL = '/dav/calendars/alice/default/';

function event(uid: string, summary: string, extra: string[] = []): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Public//EN',
    ...BERLIN_VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Europe/Berlin:20261210T100000',
    'DTEND;TZID=Europe/Berlin:20261210T110000',
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

async function put(url: string, name: string, body: string): Promise<void> {
  const res = await davFetch(url)(`${CAL}${name}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
    body,
  });
  assert.ok(res.status === 201 || res.status === 204, `PUT ${name}: ${res.status}`);
}

/** The web app's API, logged in as `user` (cookie + CSRF token). */
async function appApi(url: string, user: string) {
  const login = await fetch(`${url}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: `${user}-pw` }),
  });
  const headers = {
    Cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!,
    'X-Almanac-CSRF': ((await login.json()) as { csrf: string }).csrf,
    'Content-Type': 'application/json',
  };
  type Link = { published: boolean; path: string | null };
  return {
    get: async (href: string): Promise<Response> =>
      fetch(`${url}/app/public-links?href=${encodeURIComponent(href)}`, { headers }),
    put: async (href: string, published: boolean, renew = false): Promise<Response> =>
      fetch(`${url}/app/public-links`, { method: 'PUT', headers, body: JSON.stringify({ href, published, renew }) }),
    async set(href: string, published: boolean, renew = false): Promise<Link> {
      const res = await this.put(href, published, renew);
      assert.equal(res.status, 200);
      return (await res.json()) as Link;
    },
  };
}

/** `almanac ARGS` in a child process, without blocking this process's event loop (the server runs in it). */
function almanac(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ALMANAC, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('public calendar links (issue #17 item 7)', () => {
  let server: TestServer;
  let api: Awaited<ReturnType<typeof appApi>>;
  let path = '';

  before(async () => {
    server = await startTestServer();
    await put(
      server.url,
      'talk.ics',
      event('talk', 'Public talk', [
        'LOCATION:Hall 1',
        'ORGANIZER:mailto:alice@example.com',
        'ATTENDEE;CN=Carol:mailto:carol@example.org',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:remind me',
        'TRIGGER:-PT15M',
        'END:VALARM',
      ]),
    );
    await put(server.url, 'doctor.ics', event('doctor', 'Doctor', ['CLASS:PRIVATE', 'DESCRIPTION:blood test']));
    await put(server.url, 'review.ics', event('review', 'Salary review', ['CLASS:CONFIDENTIAL', 'LOCATION:HR']));
    api = await appApi(server.url, 'alice');
  });
  after(async () => server?.close());

  it('an unpublished calendar has no link; publishing gives a 256-bit token path, the same one again', async () => {
    assert.deepEqual(await (await api.get(CAL)).json(), { published: false, path: null, createdAt: null });
    const link = await api.set(CAL, true);
    assert.ok(link.path);
    assert.match(link.path, /^\/public\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
    path = link.path;
    assert.equal((await api.set(CAL, true)).path, path, 'publishing again keeps the link');
    const shown = (await (await api.get(CAL)).json()) as { path: string };
    assert.equal(shown.path, path, 'the owner can copy the link again');
  });

  it('the feed is one .ics without a login: VTIMEZONE, events, X-WR-CALNAME; alarms and attendees left out', async () => {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar; charset=utf-8/);
    assert.ok(res.headers.get('etag'));
    const text = await res.text();
    assert.match(text, /^BEGIN:VCALENDAR\r\n/);
    assert.equal(text.match(/BEGIN:VTIMEZONE/g)?.length, 1, 'one VTIMEZONE for three events in its zone');
    assert.match(text, /TZID:Europe\/Berlin/);
    assert.match(text, /X-WR-CALNAME:Calendar/);
    assert.match(text, /SUMMARY:Public talk/);
    assert.match(text, /LOCATION:Hall 1/);
    assert.doesNotMatch(text, /VALARM|ATTENDEE|ORGANIZER|carol@/);
  });

  it('CLASS:PRIVATE and CONFIDENTIAL items are busy-only: their times, no title, description or place', async () => {
    const text = await (await fetch(`${server.url}${path}`)).text();
    assert.doesNotMatch(text, /Doctor|blood test|Salary review|LOCATION:HR/);
    assert.equal(text.match(/SUMMARY:Busy/g)?.length, 2);
    assert.equal(text.match(/DTSTART;TZID=Europe\/Berlin:20261210T100000/g)?.length, 3);
  });

  it('conditional GET: 304 while nothing changed, 200 with a new ETag after a change; HEAD has no body', async () => {
    const first = await fetch(`${server.url}${path}`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const same = await fetch(`${server.url}${path}`, { headers: { 'If-None-Match': etag } });
    assert.equal(same.status, 304);
    assert.equal(same.headers.get('etag'), etag);
    await put(server.url, 'party.ics', event('party', 'Winter party'));
    const changed = await fetch(`${server.url}${path}`, { headers: { 'If-None-Match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.match(await changed.text(), /SUMMARY:Winter party/);
    const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
  });

  it('only GET and HEAD; a malformed or unknown token is 404 like a revoked one', async () => {
    assert.equal((await fetch(`${server.url}${path}`, { method: 'PUT', body: 'x' })).status, 405);
    assert.equal((await fetch(`${server.url}/public/calendars/short.ics`)).status, 404);
    assert.equal((await fetch(`${server.url}/public/calendars/${'A'.repeat(43)}.ics`)).status, 404);
  });

  it("another user can neither see nor publish or revoke alice's calendar (404, as for none)", async () => {
    const bob = await appApi(server.url, 'bob');
    assert.equal((await bob.get(CAL)).status, 404);
    assert.equal((await bob.put(CAL, true)).status, 404);
    assert.equal((await bob.put(CAL, false)).status, 404);
    assert.equal((await fetch(`${server.url}${path}`)).status, 200, "alice's link still works");
  });

  it('revoking ends the link at once; a renewed link replaces the old one', async () => {
    await api.set(CAL, false);
    assert.equal((await fetch(`${server.url}${path}`)).status, 404);
    const again = await api.set(CAL, true);
    assert.notEqual(again.path, path, 'a new token after a revocation');
    const renewed = await api.set(CAL, true, true);
    assert.notEqual(renewed.path, again.path);
    assert.equal((await fetch(`${server.url}${again.path!}`)).status, 404, 'the replaced link is gone');
    assert.equal((await fetch(`${server.url}${renewed.path!}`)).status, 200);
    path = renewed.path!;
  });

  it('almanac calendar publish prints the same link; unpublish ends it for the running server', async () => {
    const published = await almanac(['calendar', 'publish', 'alice', 'default', '--data', server.dataDir]);
    assert.equal(published.code, 0, published.stderr);
    assert.ok(published.stdout.startsWith(path), published.stdout);
    const ended = await almanac(['calendar', 'unpublish', 'alice', 'default', '--data', server.dataDir]);
    assert.equal(ended.code, 0, ended.stderr);
    assert.match(ended.stdout, /Unpublished alice\/default/);
  });

  it('after the command line revoked it, the server answers 404 (the store decides, not memory)', async () => {
    assert.equal((await fetch(`${server.url}${path}`)).status, 404);
  });

  it('a token is limited to 60 requests a minute per node (429 with Retry-After)', async () => {
    const link = await api.set(CAL, true);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await fetch(`${server.url}${link.path!}`, { method: 'HEAD' });
      statuses.push(res.status);
    }
    assert.equal(statuses.filter((s) => s === 200).length, 60);
    assert.equal(statuses.at(-1), 429);
    const res = await fetch(`${server.url}${link.path!}`, { method: 'HEAD' });
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });
});

describe('public calendar links on two PostgreSQL nodes', async () => {
  const skip = await postgresSkipReason();
  it('a link made on node A works on node B and its revocation on A is 404 on B at once', { skip }, async () => {
    const nodes = await startTwoPostgresNodes();
    try {
      await put(nodes.a.url, 'talk.ics', event('talk', 'Public talk'));
      const api = await appApi(nodes.a.url, 'alice');
      const link = await api.set(CAL, true);
      const onB = await fetch(`${nodes.b.url}${link.path!}`);
      assert.equal(onB.status, 200);
      assert.match(await onB.text(), /SUMMARY:Public talk/);
      await api.set(CAL, false);
      assert.equal((await fetch(`${nodes.b.url}${link.path!}`)).status, 404);
    } finally {
      await nodes.close();
    }
  });
});
