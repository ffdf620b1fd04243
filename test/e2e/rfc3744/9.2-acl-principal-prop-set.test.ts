/**
 * RFC 3744 §9.2 DAV:acl-principal-prop-set: the properties of every principal a resource's ACL
 * names (owner, granted users and groups, inherited grants), once each; DAV:read-acl is needed
 * on the resource; Depth 0 only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
/** The §9.2 example body. */
const BODY =
  '<?xml version="1.0" encoding="utf-8" ?><D:acl-principal-prop-set xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>';

let server: TestServer;
const as = (user: string) => davFetch(server.url, user);

before(async () => {
  server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
  await server.store.transaction(['/principals/groups'], (tx) => tx.createGroup('team'));
  const acl =
    '<?xml version="1.0" encoding="utf-8"?><D:acl xmlns:D="DAV:">' +
    '<D:ace><D:principal><D:href>/dav/principals/users/bob/</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace>' +
    '<D:ace><D:principal><D:href>/dav/principals/groups/team/</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace>' +
    '<D:ace><D:principal><D:authenticated/></D:principal><D:grant><D:privilege><D:read-free-busy xmlns:D="urn:ietf:params:xml:ns:caldav"/></D:privilege></D:grant></D:ace>' +
    '</D:acl>';
  const res = await as('alice')('/dav/calendars/alice/default/', { method: 'ACL', headers: XML, body: acl });
  assert.equal(res.status, 200, await res.text());
});
after(() => server.close());

describe('RFC 3744 §9.2 acl-principal-prop-set', () => {
  it('answers each principal the ACL names (owner, user, group; not DAV:authenticated) with the properties asked', async () => {
    const res = await as('alice')('/dav/calendars/alice/default/', {
      method: 'REPORT',
      headers: { ...XML, Depth: '0' },
      body: BODY,
    });
    assert.equal(res.status, 207);
    const text = await res.text();
    const hrefs = [...text.matchAll(/<D:response><D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]);
    assert.deepEqual(hrefs, [
      '/dav/principals/users/alice/',
      '/dav/principals/users/bob/',
      '/dav/principals/groups/team/',
    ]);
    assert.match(text, /<D:displayname>team<\/D:displayname>/);
  });

  it('a member inherits the collection ACL: its report names the same principals', async () => {
    await as('alice')('/dav/calendars/alice/default/e.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:e\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270101T100000Z\r\nSUMMARY:e\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    });
    const text = await (
      await as('alice')('/dav/calendars/alice/default/e.ics', {
        method: 'REPORT',
        headers: { ...XML, Depth: '0' },
        body: BODY,
      })
    ).text();
    assert.match(text, /users\/bob\//);
    assert.match(text, /groups\/team\//);
  });

  it('without DAV:read-acl it is 403 need-privileges (Bob may read the calendar, not its ACL)', async () => {
    const res = await as('bob')('/dav/calendars/alice/default/', {
      method: 'REPORT',
      headers: { ...XML, Depth: '0' },
      body: BODY,
    });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<D:need-privileges>[\s\S]*<D:read-acl\/>/);
  });

  it('Depth other than 0 is 400', async () => {
    const res = await as('alice')('/dav/calendars/alice/default/', {
      method: 'REPORT',
      headers: { ...XML, Depth: '1' },
      body: BODY,
    });
    assert.equal(res.status, 400);
  });
});
