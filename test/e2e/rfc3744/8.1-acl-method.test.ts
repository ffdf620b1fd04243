/**
 * RFC 3744 §8.1 (the ACL method), §5.5 (stored ACEs), §5.7 (inheritance) and §3.12 (aggregates):
 * alice shares her calendar with bob by ACL, directly and through a group; what bob may do
 * follows the grant on the next request, and every refused ACL answers its §8.1.1 precondition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';
const CAL = '/dav/calendars/alice/default/';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

const ace = (principal: string, privileges: string[], extra = '') =>
  `<D:ace><D:principal>${principal}</D:principal><D:grant>${privileges.map((p) => `<D:privilege>${p.startsWith('<') ? p : `<D:${p}/>`}</D:privilege>`).join('')}</D:grant>${extra}</D:ace>`;
const aclBody = (...aces: string[]) => `<?xml version="1.0" encoding="utf-8"?><D:acl ${NS}>${aces.join('')}</D:acl>`;
const BOB = '<D:href>/dav/principals/users/bob/</D:href>';

const event = (uid: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260105T100000Z',
    'DTEND:20260105T110000Z',
    `SUMMARY:${uid}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

const QUERY =
  `<?xml version="1.0"?><C:calendar-query ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
  '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>';
const MULTIGET =
  `<?xml version="1.0"?><C:calendar-multiget ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
  `<D:href>${CAL}one.ics</D:href><D:href>/dav/calendars/alice/other/x.ics</D:href></C:calendar-multiget>`;
const SYNC = `<?xml version="1.0"?><D:sync-collection ${NS}><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
const CUPS = `<?xml version="1.0"?><D:propfind ${NS}><D:prop><D:current-user-privilege-set/><D:acl/><D:inherited-acl-set/></D:prop></D:propfind>`;

describe('RFC 3744 §8.1: the ACL method shares a calendar', () => {
  let server: TestServer;
  let alice: ReturnType<typeof davFetch>;
  let bob: ReturnType<typeof davFetch>;
  const setAcl = (body: string, as = alice) => as(CAL, { method: 'ACL', headers: XML, body });

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
    alice = davFetch(server.url, 'alice');
    bob = davFetch(server.url, 'bob');
    assert.equal(
      (
        await alice(`${CAL}one.ics`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: event('one'),
        })
      ).status,
      201,
    );
    assert.equal((await alice('/dav/calendars/alice/other/', { method: 'MKCALENDAR' })).status, 201);
    assert.equal(
      (
        await alice('/dav/calendars/alice/other/x.ics', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: event('x'),
        })
      ).status,
      201,
    );
  });
  after(async () => server.close());

  it('without a grant bob gets 403 on the calendar and its members', async () => {
    assert.equal((await bob(`${CAL}one.ics`)).status, 403);
    assert.equal((await bob(CAL, { method: 'REPORT', headers: XML, body: QUERY })).status, 403);
  });

  it('read: bob may GET, PROPFIND, calendar-query, multiget and sync-collection, but not PUT, DELETE or PROPPATCH', async () => {
    assert.equal((await setAcl(aclBody(ace(BOB, ['read'])))).status, 200);
    assert.equal((await bob(`${CAL}one.ics`)).status, 200);
    const listing = await bob(CAL, { method: 'PROPFIND', headers: { Depth: '1' } });
    assert.equal(listing.status, 207);
    assert.match(await listing.text(), /one\.ics/);
    const query = await (await bob(CAL, { method: 'REPORT', headers: XML, body: QUERY })).text();
    assert.match(query, /SUMMARY:one/);
    const multi = await (await bob(CAL, { method: 'REPORT', headers: XML, body: MULTIGET })).text();
    assert.match(multi, /SUMMARY:one/);
    assert.doesNotMatch(multi, /SUMMARY:x/, 'a multiget href in a calendar bob cannot read leaks nothing');
    assert.equal((await bob(CAL, { method: 'REPORT', headers: XML, body: SYNC })).status, 207);
    assert.equal(
      (await bob(`${CAL}new.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: event('new') }))
        .status,
      403,
    );
    assert.equal((await bob(`${CAL}one.ics`, { method: 'DELETE' })).status, 403);
    const patch = `<?xml version="1.0"?><D:propertyupdate ${NS}><D:set><D:prop><D:displayname>bob's</D:displayname></D:prop></D:set></D:propertyupdate>`;
    assert.equal((await bob(CAL, { method: 'PROPPATCH', headers: XML, body: patch })).status, 403);
    assert.equal(
      (await bob('/dav/calendars/alice/other/x.ics')).status,
      403,
      'the grant reaches only the calendar it is on',
    );
  });

  it('current-user-privilege-set, acl and inherited-acl-set show the truth (§5.4, §5.5, §5.7)', async () => {
    const coll = await (await bob(CAL, { method: 'PROPFIND', headers: { ...XML, Depth: '0' }, body: CUPS })).text();
    assert.match(coll, /<D:read\/>/);
    assert.match(coll, /read-free-busy/, 'read implies CALDAV:read-free-busy (RFC 4791 §6.1.1)');
    assert.doesNotMatch(coll, /<D:write-content\/>|<D:bind\/>/);
    const acl = await (await alice(CAL, { method: 'PROPFIND', headers: { ...XML, Depth: '0' }, body: CUPS })).text();
    assert.match(
      acl,
      /principals\/users\/alice\/<\/D:href><\/D:principal><D:grant><D:privilege><D:all\/><\/D:privilege><\/D:grant><D:protected\/>/,
    );
    assert.match(acl, /principals\/users\/bob\/<\/D:href><\/D:principal><D:grant><D:privilege><D:read\/>/);
    const member = await (
      await alice(`${CAL}one.ics`, { method: 'PROPFIND', headers: { ...XML, Depth: '0' }, body: CUPS })
    ).text();
    assert.match(member, /<D:inherited><D:href>\/dav\/calendars\/alice\/default\/<\/D:href><\/D:inherited>/);
    assert.match(
      member,
      /<D:inherited-acl-set><D:href>\/dav\/calendars\/alice\/default\/<\/D:href><\/D:inherited-acl-set>/,
    );
  });

  it('read + write-properties: bob may PROPPATCH the calendar but not PUT, DELETE, MKCOL inside or ACL', async () => {
    assert.equal((await setAcl(aclBody(ace(BOB, ['read', 'write-properties'])))).status, 200);
    const patch = `<?xml version="1.0"?><D:propertyupdate ${NS}><D:set><D:prop><D:displayname>Shared</D:displayname></D:prop></D:set></D:propertyupdate>`;
    assert.equal((await bob(CAL, { method: 'PROPPATCH', headers: XML, body: patch })).status, 207);
    assert.equal(
      (await bob(`${CAL}new.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: event('new') }))
        .status,
      403,
    );
    assert.equal((await bob(`${CAL}one.ics`, { method: 'DELETE' })).status, 403);
    assert.equal((await bob(`${CAL}sub/`, { method: 'MKCOL' })).status, 403);
    assert.equal((await setAcl(aclBody(ace(BOB, ['read'])), bob)).status, 403);
  });

  it('write: bob PUTs through the one write path and alice stays the owner; he may replace and delete', async () => {
    assert.equal((await setAcl(aclBody(ace(BOB, ['read', 'write'])))).status, 200);
    assert.equal(
      (await bob(`${CAL}bob.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: event('bob') }))
        .status,
      201,
    );
    const stored = await server.store.getResource('/calendars/alice/default/bob.ics');
    const aliceUser = await server.store.getUserByName('alice');
    assert.equal(stored?.ownerId, aliceUser?.id);
    assert.equal(
      (await bob(`${CAL}bob.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: event('bob') }))
        .status,
      204,
    );
    assert.equal((await bob(`${CAL}bob.ics`, { method: 'DELETE' })).status, 204);
  });

  it('only the owner changes the ACL, even with every other privilege granted', async () => {
    assert.equal((await setAcl(aclBody(ace(BOB, ['all'])))).status, 200);
    const res = await setAcl(
      aclBody(ace(BOB, ['all']), ace('<D:href>/dav/principals/users/carol/</D:href>', ['read'])),
      bob,
    );
    assert.equal(res.status, 403);
    assert.match(await res.text(), /need-privileges/);
  });

  it('revoking takes effect on the next request, also for a report answer kept in the cache', async () => {
    assert.equal((await setAcl(aclBody(ace(BOB, ['read'])))).status, 200);
    assert.equal((await bob(CAL, { method: 'REPORT', headers: XML, body: QUERY })).status, 207);
    assert.equal((await bob(CAL, { method: 'REPORT', headers: XML, body: QUERY })).status, 207);
    assert.equal((await setAcl(aclBody())).status, 200);
    assert.equal((await bob(CAL, { method: 'REPORT', headers: XML, body: QUERY })).status, 403);
    assert.equal((await bob(`${CAL}one.ics`)).status, 403);
  });

  it('a group grant reaches its members (RFC 3744 §2) and leaving the group ends it', async () => {
    const team = await server.store.transaction(['/principals/groups'], (tx) => tx.createGroup('team'));
    const bobUser = await server.store.getUserByName('bob');
    assert.ok(bobUser);
    await server.store.transaction(['/principals/groups'], (tx) => tx.addGroupMember(team.id, bobUser.id));
    assert.equal((await setAcl(aclBody(ace('<D:href>/dav/principals/groups/team/</D:href>', ['all'])))).status, 200);
    assert.equal(
      (
        await bob(`${CAL}team.ics`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: event('team'),
        })
      ).status,
      201,
    );
    await server.store.transaction(['/principals/groups'], (tx) => tx.removeGroupMember(team.id, bobUser.id));
    assert.equal((await bob(`${CAL}team.ics`)).status, 403);
    assert.equal((await setAcl(aclBody())).status, 200);
  });

  const refused: [string, string, string][] = [
    [
      'grant-only',
      'a deny ACE',
      `<D:ace><D:principal>${BOB}</D:principal><D:deny><D:privilege><D:read/></D:privilege></D:deny></D:ace>`,
    ],
    [
      'no-invert',
      'an inverted principal',
      `<D:ace><D:invert><D:principal>${BOB}</D:principal></D:invert><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace>`,
    ],
    ['recognized-principal', 'an unknown principal', ace('<D:href>/dav/principals/users/nobody/</D:href>', ['read'])],
    ['allowed-principal', 'DAV:all granted write', ace('<D:all/>', ['write'])],
    ['allowed-principal', 'DAV:unauthenticated', ace('<D:unauthenticated/>', ['read'])],
    ['no-ace-conflict', 'two ACEs for one principal', ace(BOB, ['read']) + ace(BOB, ['write'])],
    ['no-protected-ace-conflict', 'an ACE marked protected', ace(BOB, ['read'], '<D:protected/>')],
    [
      'no-protected-ace-conflict',
      'the owner named again',
      ace('<D:href>/dav/principals/users/alice/</D:href>', ['read']),
    ],
    [
      'no-inherited-ace-conflict',
      'an ACE marked inherited',
      ace(BOB, ['read'], '<D:inherited><D:href>/dav/calendars/alice/</D:href></D:inherited>'),
    ],
    ['not-supported-privilege', 'an unknown privilege', ace(BOB, ['<X:fly xmlns:X="urn:x"/>'])],
    ['not-supported-privilege', 'write-acl to another user', ace(BOB, ['write-acl'])],
    [
      'limited-number-of-aces',
      '33 ACEs',
      Array.from({ length: 33 }, () => ace('<D:authenticated/>', ['read'])).join(''),
    ],
  ];
  for (const [condition, what, body] of refused) {
    it(`§8.1.1 ${condition}: ${what} is refused with 403 and the ACL is unchanged`, async () => {
      assert.equal((await setAcl(aclBody(ace(BOB, ['read'])))).status, 200);
      const res = await setAcl(aclBody(body));
      assert.equal(res.status, 403);
      assert.match(await res.text(), new RegExp(`<D:${condition}/>`));
      assert.equal((await bob(`${CAL}one.ics`)).status, 200, 'the earlier grant stands');
    });
  }

  it('the owner ACE sent back unchanged is accepted (clients echo the ACL they read)', async () => {
    const owner = ace('<D:href>/dav/principals/users/alice/</D:href>', ['all'], '<D:protected/>');
    assert.equal((await setAcl(aclBody(owner, ace('<D:authenticated/>', ['read'])))).status, 200);
    assert.equal(
      (await davFetch(server.url, 'carol')(`${CAL}one.ics`)).status,
      200,
      'DAV:authenticated reaches every user',
    );
    assert.equal((await setAcl(aclBody())).status, 200);
    assert.equal((await davFetch(server.url, 'carol')(`${CAL}one.ics`)).status, 403);
  });

  it("ACL on a calendar object is refused (members inherit their collection's ACEs)", async () => {
    assert.equal(
      (await alice(`${CAL}one.ics`, { method: 'ACL', headers: XML, body: aclBody(ace(BOB, ['read'])) })).status,
      405,
    );
  });

  it('deleting the collection removes its ACEs', async () => {
    // What bob holds without this collection (e.g. the directory address book's read for every
    // authenticated user): the deletion must bring him back to exactly that.
    const bobUser = await server.store.getUserByName('bob');
    const baseline = (await server.store.grantsFor(bobUser?.id ?? 0)).filter(
      (g) => g.path !== '/calendars/alice/other',
    );
    assert.equal(
      (await alice('/dav/calendars/alice/other/', { method: 'ACL', headers: XML, body: aclBody(ace(BOB, ['read'])) }))
        .status,
      200,
    );
    assert.ok((await server.store.grantsFor(bobUser?.id ?? 0)).some((g) => g.path === '/calendars/alice/other'));
    assert.equal((await alice('/dav/calendars/alice/other/', { method: 'DELETE' })).status, 204);
    assert.deepEqual(await server.store.grantsFor(bobUser?.id ?? 0), baseline);
  });
});
