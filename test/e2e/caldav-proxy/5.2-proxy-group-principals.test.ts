/**
 * caldav-proxy.txt §5.1–§5.3 (Calendar User Proxy Functionality in CalDAV): the calendar-proxy
 * DAV token, every user principal's two proxy group children, their DAV:group-member-set set by
 * the owner with PROPPATCH (as iOS and macOS do), the delegate's DAV:group-membership and
 * CS:calendar-proxy-read-for / -write-for, read the way macOS reads them (expand-property), and
 * principal-match DAV:self on /principals/ (the §5.2 example).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { setMembers } from './proxy-client.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const NS = 'xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/" xmlns:C="urn:ietf:params:xml:ns:caldav"';

/** The expand-property macOS Calendar sends for "whose calendars may I open" (golden fixture apple-proxy-for). */
const APPLE_PROXY_FOR = `<?xml version="1.0" encoding="UTF-8"?>
<A:expand-property xmlns:A="DAV:">
  <A:property name="calendar-proxy-write-for" namespace="http://calendarserver.org/ns/">
    <A:property name="displayname" namespace="DAV:"/>
    <A:property name="calendar-user-address-set" namespace="urn:ietf:params:xml:ns:caldav"/>
    <A:property name="email-address-set" namespace="http://calendarserver.org/ns/"/>
  </A:property>
  <A:property name="calendar-proxy-read-for" namespace="http://calendarserver.org/ns/">
    <A:property name="displayname" namespace="DAV:"/>
    <A:property name="calendar-user-address-set" namespace="urn:ietf:params:xml:ns:caldav"/>
    <A:property name="email-address-set" namespace="http://calendarserver.org/ns/"/>
  </A:property>
</A:expand-property>`;

let server: TestServer;
const as = (user: string) => davFetch(server.url, user);

before(async () => {
  server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
});
after(() => server.close());

describe('caldav-proxy §5.1–5.3: proxy group principals', () => {
  it('§5.1: OPTIONS announces calendar-proxy in the DAV header', async () => {
    const res = await as('alice')('/dav/principals/users/alice/', { method: 'OPTIONS' });
    assert.match(res.headers.get('dav') ?? '', /(^|, ?)calendar-proxy(,|$)/);
  });

  it('§5.2: PROPFIND Depth 1 on a user principal lists calendar-proxy-read and -write with their resource types', async () => {
    const res = await as('bob')('/dav/principals/users/alice/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '1' },
      body: `<D:propfind ${NS}><D:prop><D:resourcetype/><D:displayname/><C:calendar-user-type/></D:prop></D:propfind>`,
    });
    assert.equal(res.status, 207);
    const text = await res.text();
    assert.match(
      text,
      /<D:href>\/dav\/principals\/users\/alice\/calendar-proxy-read\/<\/D:href><D:propstat><D:prop><D:resourcetype><D:collection\/><D:principal\/><CS:calendar-proxy-read\/><\/D:resourcetype>/,
    );
    assert.match(text, /<D:href>\/dav\/principals\/users\/alice\/calendar-proxy-write\/<\/D:href>/);
    assert.match(text, /<CS:calendar-proxy-write\/>/);
    assert.match(text, /<C:calendar-user-type>GROUP<\/C:calendar-user-type>/);
    assert.doesNotMatch(text, /calendar-home-set/);
  });

  it('§5.2: only the owner may PROPPATCH a proxy group; others get 403 need-privileges', async () => {
    const byBob = await as('bob')('/dav/principals/users/alice/calendar-proxy-write/', {
      method: 'PROPPATCH',
      headers: XML,
      body: setMembers('bob'),
    });
    assert.equal(byBob.status, 403);
    assert.match(await byBob.text(), /need-privileges/);
    const text = await (
      await as('bob')('/dav/principals/users/bob/', { method: 'PROPFIND', headers: { ...XML, Depth: '0' } })
    ).text();
    assert.doesNotMatch(text, /calendar-proxy-write/, 'nothing changed');
  });

  it('§5.2: a PROPPATCH naming no user principal fails that property (409), nothing is applied', async () => {
    const res = await as('alice')('/dav/principals/users/alice/calendar-proxy-read/', {
      method: 'PROPPATCH',
      headers: XML,
      body: setMembers('bob', 'nobody'),
    });
    assert.equal(res.status, 207);
    assert.match(await res.text(), /HTTP\/1.1 409/);
    assert.equal(
      await server.store.getOwnedGroup((await server.store.getUserByName('alice'))!.id, 'calendar-proxy-read'),
      null,
    );
  });

  it('§5.2, §5.3: the owner sets the members; the delegate sees the group in group-membership and the owner in -for', async () => {
    const res = await as('alice')('/dav/principals/users/alice/calendar-proxy-write/', {
      method: 'PROPPATCH',
      headers: XML,
      body: setMembers('bob'),
    });
    assert.equal(res.status, 207);
    assert.match(await res.text(), /<D:group-member-set\/><\/D:prop><D:status>HTTP\/1.1 200 OK/);
    await as('carol')('/dav/principals/users/carol/calendar-proxy-read/', {
      method: 'PROPPATCH',
      headers: XML,
      body: setMembers('bob'),
    });
    const members = await (
      await as('carol')('/dav/principals/users/alice/calendar-proxy-write/', {
        method: 'PROPFIND',
        headers: { ...XML, Depth: '0' },
        body: `<D:propfind ${NS}><D:prop><D:group-member-set/></D:prop></D:propfind>`,
      })
    ).text();
    assert.match(
      members,
      /<D:group-member-set><D:href>\/dav\/principals\/users\/bob\/<\/D:href><\/D:group-member-set>/,
    );
    const bob = await (
      await as('bob')('/dav/principals/users/bob/', {
        method: 'PROPFIND',
        headers: { ...XML, Depth: '0' },
        body: `<D:propfind ${NS}><D:prop><D:group-membership/><CS:calendar-proxy-write-for/><CS:calendar-proxy-read-for/></D:prop></D:propfind>`,
      })
    ).text();
    assert.match(bob, /<D:href>\/dav\/principals\/users\/alice\/calendar-proxy-write\/<\/D:href>/);
    assert.match(bob, /<D:href>\/dav\/principals\/users\/carol\/calendar-proxy-read\/<\/D:href>/);
    assert.match(
      bob,
      /<CS:calendar-proxy-write-for><D:href>\/dav\/principals\/users\/alice\/<\/D:href><\/CS:calendar-proxy-write-for>/,
    );
    assert.match(
      bob,
      /<CS:calendar-proxy-read-for><D:href>\/dav\/principals\/users\/carol\/<\/D:href><\/CS:calendar-proxy-read-for>/,
    );
  });

  it('§5.3 with RFC 3253 §3.8: macOS expand-property of calendar-proxy-write-for / -read-for', async () => {
    const res = await as('bob')('/dav/principals/users/bob/', {
      method: 'REPORT',
      headers: { ...XML, Depth: '0' },
      body: APPLE_PROXY_FOR,
    });
    assert.equal(res.status, 207);
    const text = await res.text();
    assert.match(
      text,
      /<CS:calendar-proxy-write-for><D:response><D:href>\/dav\/principals\/users\/alice\/<\/D:href><D:propstat><D:prop><D:displayname>alice<\/D:displayname><C:calendar-user-address-set><D:href>mailto:alice@example.com<\/D:href>/,
    );
    assert.match(
      text,
      /<CS:email-address-set><CS:email-address>alice@example.com<\/CS:email-address><\/CS:email-address-set>/,
    );
    assert.match(text, /<CS:calendar-proxy-read-for><D:response><D:href>\/dav\/principals\/users\/carol\/<\/D:href>/);
  });

  it("§5.2: expand-property of a proxy group's group-member-set (how iOS lists delegates)", async () => {
    const res = await as('alice')('/dav/principals/users/alice/calendar-proxy-write/', {
      method: 'REPORT',
      headers: { ...XML, Depth: '0' },
      body:
        '<?xml version="1.0" encoding="UTF-8"?><A:expand-property xmlns:A="DAV:"><A:property name="group-member-set" namespace="DAV:">' +
        '<A:property name="displayname" namespace="DAV:"/><A:property name="principal-URL" namespace="DAV:"/></A:property></A:expand-property>',
    });
    const text = await res.text();
    assert.match(text, /<D:group-member-set><D:response><D:href>\/dav\/principals\/users\/bob\/<\/D:href>/);
    assert.match(text, /<D:displayname>bob<\/D:displayname>/);
  });

  it('§5.2 example: principal-match DAV:self on /principals/ finds the user and the proxy groups holding them', async () => {
    const res = await as('bob')('/dav/principals/', {
      method: 'REPORT',
      headers: { ...XML, Depth: '0' },
      body: '<?xml version="1.0" encoding="utf-8" ?><D:principal-match xmlns:D="DAV:"><D:self/><D:prop><D:resourcetype/></D:prop></D:principal-match>',
    });
    assert.equal(res.status, 207);
    const hrefs = [...(await res.text()).matchAll(/<D:response><D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]);
    assert.deepEqual(hrefs.sort(), [
      '/dav/principals/users/alice/calendar-proxy-write/',
      '/dav/principals/users/bob/',
      '/dav/principals/users/carol/calendar-proxy-read/',
    ]);
  });

  it('§5.2: removing every member empties the group; -for and group-membership follow on the next request', async () => {
    await as('carol')('/dav/principals/users/carol/calendar-proxy-read/', {
      method: 'PROPPATCH',
      headers: XML,
      body: setMembers(),
    });
    const bob = await (
      await as('bob')('/dav/principals/users/bob/', {
        method: 'PROPFIND',
        headers: { ...XML, Depth: '0' },
        body: `<D:propfind ${NS}><D:prop><D:group-membership/><CS:calendar-proxy-read-for/></D:prop></D:propfind>`,
      })
    ).text();
    assert.match(bob, /<CS:calendar-proxy-read-for\/>/);
    assert.doesNotMatch(bob, /carol\/calendar-proxy-read/);
  });
});
