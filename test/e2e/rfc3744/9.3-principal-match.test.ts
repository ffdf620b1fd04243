/**
 * RFC 3744 §9.3 DAV:principal-match: DAV:self finds the principals at or below the request URI
 * that are the user or a group holding them; DAV:principal-property finds the members (any
 * depth) whose property names the user — here DAV:owner, "which of these are mine" — never
 * a member the user may not read. Depth 0 only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8', Depth: '0' };
const SELF =
  '<?xml version="1.0" encoding="utf-8" ?><D:principal-match xmlns:D="DAV:"><D:self/><D:prop><D:displayname/></D:prop></D:principal-match>';
/** The §9.3 example body: which members does the user own? */
const OWNER =
  '<?xml version="1.0" encoding="utf-8" ?><D:principal-match xmlns:D="DAV:"><D:principal-property><D:owner/></D:principal-property></D:principal-match>';

let server: TestServer;
const as = (user: string) => davFetch(server.url, user);
const hrefs = (text: string): string[] =>
  [...text.matchAll(/<D:response><D:href>([^<]+)<\/D:href>/g)].map((m) => m[1] ?? '');

before(async () => {
  server = await startTestServer();
  await server.store.transaction(['/principals/groups'], async (tx) => {
    const team = await tx.createGroup('team');
    const other = await tx.createGroup('other');
    const bob = await tx.getUserByName('bob');
    const alice = await tx.getUserByName('alice');
    if (bob) await tx.addGroupMember(team.id, bob.id);
    if (alice) await tx.addGroupMember(other.id, alice.id);
  });
});
after(() => server.close());

describe('RFC 3744 §9.3 principal-match', () => {
  it('DAV:self on /principals/: the user and their groups, with the properties asked', async () => {
    const res = await as('bob')('/dav/principals/', { method: 'REPORT', headers: XML, body: SELF });
    assert.equal(res.status, 207);
    const text = await res.text();
    assert.deepEqual(hrefs(text).sort(), ['/dav/principals/groups/team/', '/dav/principals/users/bob/']);
    assert.match(text, /<D:displayname>team<\/D:displayname>/);
  });

  it('DAV:self is bounded by the request URI: /principals/groups/ answers the groups only', async () => {
    const res = await as('bob')('/dav/principals/groups/', { method: 'REPORT', headers: XML, body: SELF });
    assert.deepEqual(hrefs(await res.text()), ['/dav/principals/groups/team/']);
  });

  it("DAV:principal-property DAV:owner on a calendar home: the user's own collections, at any depth", async () => {
    const res = await as('alice')('/dav/calendars/alice/', { method: 'REPORT', headers: XML, body: OWNER });
    assert.equal(res.status, 207);
    const found = hrefs(await res.text());
    assert.ok(found.includes('/dav/calendars/alice/'));
    assert.ok(found.includes('/dav/calendars/alice/default/'));
    assert.ok(found.includes('/dav/calendars/alice/inbox/'));
  });

  it("another user's home is refused before anything there is read (RFC 3744 §7.1.1)", async () => {
    const res = await as('bob')('/dav/calendars/alice/', { method: 'REPORT', headers: XML, body: OWNER });
    assert.equal(res.status, 403);
  });

  it('neither self nor principal-property is 400; Depth other than 0 is 400', async () => {
    const none = await as('bob')('/dav/principals/', {
      method: 'REPORT',
      headers: XML,
      body: '<D:principal-match xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:principal-match>',
    });
    assert.equal(none.status, 400);
    const deep = await as('bob')('/dav/principals/', { method: 'REPORT', headers: { ...XML, Depth: '1' }, body: SELF });
    assert.equal(deep.status, 400);
  });
});
