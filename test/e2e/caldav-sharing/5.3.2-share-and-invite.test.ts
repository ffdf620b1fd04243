/**
 * caldav-sharing §5.1, §5.2, §5.3.2, §4: the sharer's side, replaying the requests of the
 * specification's examples (as macOS/iOS Calendar sends them): feature discovery, CS:share,
 * the invitation in the sharee's notification collection, CS:invite and the resource types.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { invitations, makeCalendar, post, propfind, shareBody, unshareBody } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';

describe('caldav-sharing §5.3.2: sharing a calendar', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
    await makeCalendar(server.url, 'alice', SHARED, 'Work');
  });
  after(async () => server.close());

  it('§5.1: OPTIONS announces calendarserver-sharing in the DAV header', async () => {
    const res = await davFetch(server.url)('/dav/calendars/alice/', { method: 'OPTIONS' });
    assert.match(res.headers.get('dav') ?? '', /calendarserver-sharing/);
  });

  it('§5.2.3, §5.2.1: an unshared calendar can be shared, lists no sharee and is not shared-owner (no "Shared with Unknown")', async () => {
    const text = await propfind(
      server.url,
      'alice',
      SHARED,
      '<D:resourcetype/><CS:invite/><CS:allowed-sharing-modes/><D:share-access/>',
    );
    assert.match(text, /<CS:allowed-sharing-modes><CS:can-be-shared\/><\/CS:allowed-sharing-modes>/);
    assert.doesNotMatch(text, /shared-owner/);
    assert.doesNotMatch(text, /<CS:user>/);
    assert.match(text, /<D:share-access><D:not-shared\/><\/D:share-access>/);
  });

  it('§5.3.2.1: CS:share adds a sharee; the calendar becomes shared-owner and CS:invite lists them with access and name', async () => {
    const res = await post(server.url, 'alice', SHARED, shareBody('mailto:bob@example.com', 'read-write'));
    assert.equal(res.status, 200);
    const text = await propfind(server.url, 'alice', SHARED, '<D:resourcetype/><CS:invite/><D:share-access/>');
    assert.match(text, /<D:resourcetype><D:collection\/><C:calendar\/><CS:shared-owner\/><\/D:resourcetype>/);
    assert.match(
      text,
      /<CS:organizer><D:href>mailto:alice@example.com<\/D:href><CS:common-name>alice<\/CS:common-name><\/CS:organizer>/,
    );
    // sabre-io/Baikal#1034: every sharee has CS:access, or macOS fails with "accessLevel is a required value".
    assert.match(
      text,
      /<CS:user><D:href>mailto:bob@example.com<\/D:href><CS:common-name>bob<\/CS:common-name><CS:invite-noresponse\/><CS:access><CS:read-write\/><\/CS:access><CS:summary>Shared workspace<\/CS:summary><\/CS:user>/,
    );
    assert.equal(text.match(/<CS:user>/g)?.length, 1, 'the owner is never a CS:user');
    assert.match(text, /<D:share-access><D:shared-owner\/><\/D:share-access>/);
  });

  it("§5.2.1: in the sharer's home listing (Depth 1) only the shared calendar is CS:shared-owner, its unshared neighbours are not", async () => {
    await makeCalendar(server.url, 'alice', '/dav/calendars/alice/private/', 'Private');
    const text = await propfind(server.url, 'alice', '/dav/calendars/alice/', '<D:resourcetype/>', '1');
    const types = new Map(
      [...text.matchAll(/<D:href>([^<]+)<\/D:href>.*?<D:resourcetype>(.*?)<\/D:resourcetype>/gs)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    assert.match(types.get(SHARED) ?? '', /<CS:shared-owner\/>/, text);
    assert.match(types.get('/dav/calendars/alice/private/') ?? '', /<C:calendar\/>/, text);
    assert.doesNotMatch(types.get('/dav/calendars/alice/private/') ?? '', /shared/, text);
    assert.doesNotMatch(types.get('/dav/calendars/alice/default/') ?? '', /shared/, text);
  });

  it('§4, §6.15: the sharee finds a CS:invite-notification in their notification collection (CS:notification-URL)', async () => {
    const principal = await propfind(server.url, 'bob', '/dav/principals/users/bob/', '<CS:notification-URL/>');
    assert.match(principal, /<CS:notification-URL><D:href>\/dav\/calendars\/bob\/notification\/<\/D:href>/);
    const coll = await propfind(server.url, 'bob', '/dav/calendars/bob/notification/', '<D:resourcetype/>');
    assert.match(coll, /<D:resourcetype><D:collection\/><CS:notification\/><\/D:resourcetype>/);
    const listing = await propfind(
      server.url,
      'bob',
      '/dav/calendars/bob/notification/',
      '<CS:notificationtype/>',
      '1',
    );
    assert.match(
      listing,
      /<CS:notificationtype><CS:invite-notification shared-type="calendar"\/><\/CS:notificationtype>/,
    );
    const [invite] = await invitations(server.url, 'bob');
    assert.ok(invite);
    assert.match(invite.xml, /<CS:invite-noresponse\/>/);
    assert.match(invite.xml, /<CS:access><CS:read-write\/><\/CS:access>/);
    assert.match(invite.xml, /<CS:hosturl><D:href>\/dav\/calendars\/alice\/work\/<\/D:href><\/CS:hosturl>/);
    assert.match(invite.xml, /<CS:organizer><D:href>mailto:alice@example.com<\/D:href>/);
  });

  it('§5.3.2: a pending invitation grants nothing yet', async () => {
    const res = await davFetch(server.url, 'bob')(SHARED, { method: 'PROPFIND', headers: { Depth: '0' } });
    assert.equal(res.status, 403);
  });

  it('§5.3.2.2: one request downgrades a sharee and removes another; the removed one is told (CS:invite-deleted)', async () => {
    await post(server.url, 'alice', SHARED, shareBody('mailto:carol@example.com', 'read'));
    const body =
      '<?xml version="1.0" encoding="utf-8" ?><CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">' +
      '<CS:set><D:href>mailto:bob@example.com</D:href><CS:summary>Shared workspace</CS:summary><CS:read /></CS:set>' +
      '<CS:remove><D:href>mailto:carol@example.com</D:href></CS:remove></CS:share>';
    assert.equal((await post(server.url, 'alice', SHARED, body)).status, 200);
    const text = await propfind(server.url, 'alice', SHARED, '<CS:invite/>');
    assert.match(text, /<CS:access><CS:read\/><\/CS:access>/);
    assert.doesNotMatch(text, /carol/);
    const [carol] = await invitations(server.url, 'carol');
    assert.match(carol?.xml ?? '', /<CS:invite-deleted\/>/);
  });

  it('only the owner shares: a sharee or another user is refused (DAV:need-privileges), and a home is not shared', async () => {
    const bob = await post(server.url, 'bob', SHARED, shareBody('mailto:carol@example.com', 'read'));
    assert.equal(bob.status, 403);
    const files = await post(server.url, 'alice', '/dav/calendars/alice/', shareBody('mailto:bob@example.com', 'read'));
    assert.equal(files.status, 403, 'a home is not shared');
  });

  it('draft-pot-webdav-resource-sharing §5.4: DAV:share-resource with no-access removes a sharee', async () => {
    const body =
      '<?xml version="1.0" encoding="utf-8"?><D:share-resource xmlns:D="DAV:"><D:sharee>' +
      '<D:href>/dav/principals/users/bob/</D:href><D:share-access><D:no-access/></D:share-access></D:sharee></D:share-resource>';
    const res = await davFetch(server.url, 'alice')(SHARED, {
      method: 'POST',
      headers: { 'Content-Type': 'application/davsharing+xml; charset=utf-8' },
      body,
    });
    assert.equal(res.status, 200);
    const text = await propfind(server.url, 'alice', SHARED, '<D:resourcetype/><CS:invite/>');
    assert.doesNotMatch(text, /<CS:user>/);
    assert.doesNotMatch(text, /shared-owner/, 'unshared again: no longer shared-owner (§5.3.1)');
    assert.equal((await post(server.url, 'alice', SHARED, unshareBody('mailto:bob@example.com'))).status, 200);
  });
});
