/**
 * caldav-proxy.txt §5.4 (and §3.1 a–c): what a proxy may do. Alice makes Bob her write proxy
 * and Carol her read proxy. Bob reads and writes her calendars, her inbox and outbox, and an
 * event he puts into her calendar is organized by her (RFC 6638 implicit scheduling invites
 * Dave as Alice); Carol reads only; Dave, no proxy, gets nothing. The grants are protected ACEs
 * on Alice's calendar home (RFC 3744 §5.5) that her own ACL requests keep, and removing a
 * delegate revokes on the next request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { setMembers } from './proxy-client.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

const EVENT = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'BEGIN:VEVENT',
  'UID:delegated-1',
  'DTSTAMP:20270101T000000Z',
  'DTSTART:20270310T090000Z',
  'DTEND:20270310T100000Z',
  'SUMMARY:Board meeting',
  'ORGANIZER;CN=alice:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const freeBusyRequest = (organizer: string): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'METHOD:REQUEST',
    'BEGIN:VFREEBUSY',
    'UID:fb-proxy',
    'DTSTAMP:20270101T000000Z',
    'DTSTART:20270310T000000Z',
    'DTEND:20270311T000000Z',
    `ORGANIZER:mailto:${organizer}`,
    'ATTENDEE:mailto:alice@example.com',
    'END:VFREEBUSY',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

let server: TestServer;
const as = (user: string) => davFetch(server.url, user);
const EVENT_PATH = '/dav/calendars/alice/default/delegated-1.ics';

before(async () => {
  server = await startTestServer({
    users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', dave: 'dave-pw' },
  });
  for (const [role, who] of [
    ['calendar-proxy-write', 'bob'],
    ['calendar-proxy-read', 'carol'],
  ] as const) {
    const res = await as('alice')(`/dav/principals/users/alice/${role}/`, {
      method: 'PROPPATCH',
      headers: XML,
      body: setMembers(who),
    });
    assert.equal(res.status, 207);
  }
});
after(() => server.close());

describe('caldav-proxy §5.4: privilege provisioning', () => {
  it("a write proxy PUTs into the owner's calendar; the event is organized by the owner and Dave is invited (RFC 6638 §3.2)", async () => {
    const res = await as('bob')(EVENT_PATH, { method: 'PUT', headers: ICS, body: EVENT });
    assert.equal(res.status, 201, await res.text());
    const stored = await (await as('alice')(EVENT_PATH)).text();
    assert.match(stored, /SCHEDULE-STATUS=1\.2/, "Alice's copy records the delivery to Dave");
    const daveHome = await (
      await as('dave')('/dav/calendars/dave/default/', {
        method: 'PROPFIND',
        headers: { ...XML, Depth: '1' },
        body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
      })
    ).text();
    const href = [...daveHome.matchAll(/<D:href>([^<]+\.ics)<\/D:href>/g)].map((m) => m[1]);
    assert.equal(href.length, 1, "Dave's copy was delivered");
    const copy = await (await as('dave')(href[0] ?? '')).text();
    assert.match(copy, /ORGANIZER[^\r\n]*:mailto:alice@example\.com/);
    assert.match(copy, /SUMMARY:Board meeting/);
  });

  it("the proxies' privileges show in current-user-privilege-set: write for Bob, read only for Carol", async () => {
    const cups = async (user: string): Promise<string> =>
      (
        await as(user)('/dav/calendars/alice/default/', {
          method: 'PROPFIND',
          headers: { ...XML, Depth: '0' },
          body: '<D:propfind xmlns:D="DAV:"><D:prop><D:current-user-privilege-set/></D:prop></D:propfind>',
        })
      ).text();
    const bob = await cups('bob');
    assert.match(bob, /<D:write\/>/);
    assert.match(bob, /<D:read\/>/);
    assert.doesNotMatch(bob, /<D:write-acl\/>/);
    const carol = await cups('carol');
    assert.match(carol, /<D:read\/>/);
    assert.doesNotMatch(carol, /<D:write\/>|<D:bind\/>/);
  });

  it('a read proxy reads but cannot write; a user who is no proxy gets 403 for both', async () => {
    assert.equal((await as('carol')(EVENT_PATH)).status, 200);
    const put = await as('carol')('/dav/calendars/alice/default/by-carol.ics', {
      method: 'PUT',
      headers: ICS,
      body: EVENT.replace('delegated-1', 'by-carol'),
    });
    assert.equal(put.status, 403);
    assert.match(await put.text(), /need-privileges/);
    assert.equal((await as('dave')(EVENT_PATH)).status, 403);
  });

  it("a write proxy reads the owner's inbox and POSTs free-busy to her outbox as her; a read proxy may not", async () => {
    const inbox = await as('bob')('/dav/calendars/alice/inbox/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '1' },
      body: '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>',
    });
    assert.equal(inbox.status, 207);
    const post = await as('bob')('/dav/calendars/alice/outbox/', {
      method: 'POST',
      headers: ICS,
      body: freeBusyRequest('alice@example.com'),
    });
    assert.equal(post.status, 200);
    assert.match(await post.text(), /FREEBUSY[^\r\n]*20270310T090000Z\/20270310T100000Z/);
    const byCarol = await as('carol')('/dav/calendars/alice/outbox/', {
      method: 'POST',
      headers: ICS,
      body: freeBusyRequest('alice@example.com'),
    });
    assert.equal(byCarol.status, 403);
  });

  it("RFC 3744 §5.5: the proxy grants are protected ACEs on the owner's calendar home, kept by her ACL requests", async () => {
    const read = async (): Promise<string> =>
      (
        await as('alice')('/dav/calendars/alice/', {
          method: 'PROPFIND',
          headers: { ...XML, Depth: '0' },
          body: '<D:propfind xmlns:D="DAV:"><D:prop><D:acl/></D:prop></D:propfind>',
        })
      ).text();
    const acl = await read();
    assert.match(
      acl,
      /<D:ace><D:principal><D:href>\/dav\/principals\/users\/alice\/calendar-proxy-write\/<\/D:href><\/D:principal><D:grant><D:privilege><D:read\/><\/D:privilege><D:privilege><D:write\/><\/D:privilege><\/D:grant><D:protected\/><\/D:ace>/,
    );
    assert.match(
      acl,
      /calendar-proxy-read\/<\/D:href><\/D:principal><D:grant><D:privilege><D:read\/><\/D:privilege><\/D:grant><D:protected\/>/,
    );
    // A client writes back what it read plus one grant: the protected ACEs it echoes are the server's.
    const echo =
      '<?xml version="1.0" encoding="utf-8"?><D:acl xmlns:D="DAV:">' +
      '<D:ace><D:principal><D:href>/dav/principals/users/alice/calendar-proxy-write/</D:href></D:principal>' +
      '<D:grant><D:privilege><D:read/></D:privilege><D:privilege><D:write/></D:privilege></D:grant><D:protected/></D:ace>' +
      '<D:ace><D:principal><D:href>/dav/principals/users/dave/</D:href></D:principal>' +
      '<D:grant><D:privilege><D:read-free-busy xmlns:D="urn:ietf:params:xml:ns:caldav"/></D:privilege></D:grant></D:ace></D:acl>';
    const res = await as('alice')('/dav/calendars/alice/', { method: 'ACL', headers: XML, body: echo });
    assert.equal(res.status, 200, await res.text());
    const after = await read();
    assert.match(after, /users\/dave\//);
    assert.match(after, /calendar-proxy-write\/<\/D:href><\/D:principal><D:grant><D:privilege><D:read\/>/);
    assert.match(after, /calendar-proxy-read\/<\/D:href>/, 'the ACE the request left out is kept too');
    // Naming a proxy group without <protected/> would change the server's grant.
    const conflict = await as('alice')('/dav/calendars/alice/', {
      method: 'ACL',
      headers: XML,
      body: echo.replace('<D:protected/>', ''),
    });
    assert.equal(conflict.status, 403);
    assert.match(await conflict.text(), /no-protected-ace-conflict/);
    assert.equal((await as('bob')(EVENT_PATH)).status, 200, 'Bob still reads');
  });

  it('removing the write proxy revokes on the next request', async () => {
    await as('alice')('/dav/principals/users/alice/calendar-proxy-write/', {
      method: 'PROPPATCH',
      headers: XML,
      body: setMembers(),
    });
    assert.equal((await as('bob')(EVENT_PATH)).status, 403);
    const put = await as('bob')(EVENT_PATH, { method: 'PUT', headers: ICS, body: EVENT });
    assert.equal(put.status, 403);
  });
});
