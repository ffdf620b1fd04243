/**
 * RFC 3744 §2 and §4.3/§4.4: a group is a principal at /principals/groups/NAME whose
 * DAV:group-member-set lists its users, and each user's DAV:group-membership lists their groups.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8', Depth: '0' };
const PROPS =
  '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><D:displayname/>' +
  '<D:group-member-set/><D:group-membership/><C:calendar-user-type/><C:calendar-home-set/><D:current-user-privilege-set/></D:prop></D:propfind>';

describe('RFC 3744 §4.3, §4.4: group principals and memberships', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await server.store.transaction(['/principals/groups'], async (tx) => {
      const team = await tx.createGroup('team');
      for (const name of ['alice', 'bob']) {
        const u = await tx.getUserByName(name);
        if (u) await tx.addGroupMember(team.id, u.id);
      }
    });
  });
  after(async () => server.close());

  it('the group principal: DAV:principal, its members, calendar-user-type GROUP, no calendar home; readable by every user', async () => {
    const res = await davFetch(server.url, 'bob')('/dav/principals/groups/team/', {
      method: 'PROPFIND',
      headers: XML,
      body: PROPS,
    });
    assert.equal(res.status, 207);
    const text = await res.text();
    assert.match(text, /<D:resourcetype><D:collection\/><D:principal\/><\/D:resourcetype>/);
    assert.match(
      text,
      /<D:group-member-set><D:href>\/dav\/principals\/users\/alice\/<\/D:href><D:href>\/dav\/principals\/users\/bob\/<\/D:href><\/D:group-member-set>/,
    );
    assert.match(text, /<C:calendar-user-type>GROUP<\/C:calendar-user-type>/);
    assert.match(text, /<D:displayname>team<\/D:displayname>/);
    assert.doesNotMatch(text, /<C:calendar-home-set><D:href>/, 'a group has no calendar home');
    assert.match(text, /<D:read\/>/);
  });

  it('a user principal lists its groups in DAV:group-membership', async () => {
    const text = await (
      await davFetch(server.url, 'alice')('/dav/principals/users/bob/', {
        method: 'PROPFIND',
        headers: XML,
        body: PROPS,
      })
    ).text();
    assert.match(text, /<D:group-membership><D:href>\/dav\/principals\/groups\/team\/<\/D:href><\/D:group-membership>/);
  });

  it('an unknown group is 404', async () => {
    assert.equal(
      (await davFetch(server.url)('/dav/principals/groups/nobody/', { method: 'PROPFIND', headers: XML, body: PROPS }))
        .status,
      404,
    );
  });
});
