/**
 * caldav-sharing §5.4 and §5.5.3: the sharee's side, replaying macOS/iOS requests — accept an
 * invitation by POST to the calendar home (CS:shared-as), find the instance in the home
 * (PROPFIND Depth 1 as DAVx5 and Thunderbird discover calendars), keep per-user properties on
 * it, and remove it by DELETE (§5.4.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { answer, invitations, makeCalendar, post, propfind, shareBody, XML } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';
// What DAVx5 asks of a calendar home (PROPFIND Depth 1) when it discovers calendars.
const DAVX5 =
  '<D:resourcetype/><D:displayname/><D:owner/><D:current-user-privilege-set/><ICAL:calendar-color/>' +
  '<C:supported-calendar-component-set/><D:sync-token/><CS:getctag/><C:schedule-calendar-transp/>';

describe('caldav-sharing §5.4.1: answering an invitation', () => {
  let server: TestServer;
  let instance = '';
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
    await makeCalendar(server.url, 'alice', SHARED, 'Work', '#FF0000');
    await post(server.url, 'alice', SHARED, shareBody('mailto:bob@example.com', 'read'));
    await post(server.url, 'alice', SHARED, shareBody('mailto:carol@example.com', 'read'));
  });
  after(async () => server.close());

  it('§5.4.1: an answer to an invitation that is not one’s own is refused', async () => {
    const [invite] = await invitations(server.url, 'bob');
    assert.equal((await answer(server.url, 'carol', SHARED, invite!.uid, true)).status, 403);
  });

  it('§5.4.1: accepting answers CS:shared-as with the instance in the sharee’s home; the sharer is told (CS:invite-reply)', async () => {
    const [invite] = await invitations(server.url, 'bob');
    const res = await answer(server.url, 'bob', SHARED, invite!.uid, true);
    assert.equal(res.status, 200);
    const text = await res.text();
    instance = /<CS:shared-as[^>]*><D:href>([^<]+)<\/D:href><\/CS:shared-as>/.exec(text)?.[1] ?? '';
    assert.match(instance, /^\/dav\/calendars\/bob\/[^/]+\/$/);
    const owner = await propfind(server.url, 'alice', SHARED, '<CS:invite/>');
    assert.match(
      owner,
      /<D:href>mailto:bob@example.com<\/D:href><CS:common-name>bob<\/CS:common-name><CS:invite-accepted\/>/,
    );
    const replies = await propfind(
      server.url,
      'alice',
      '/dav/calendars/alice/notification/',
      '<CS:notificationtype/>',
      '1',
    );
    assert.match(replies, /<CS:notificationtype><CS:invite-reply\/><\/CS:notificationtype>/);
  });

  it('DAVx5/Thunderbird discovery: the home lists the instance as a shared calendar, owned by the sharer, read-only, with its sync token', async () => {
    const text = await propfind(server.url, 'bob', '/dav/calendars/bob/', DAVX5, '1');
    const response = text.split('<D:response>').find((r) => r.includes(`<D:href>${instance}</D:href>`));
    assert.ok(response, 'the instance is a member of the home');
    assert.match(response, /<D:resourcetype><D:collection\/><C:calendar\/><CS:shared\/><\/D:resourcetype>/);
    assert.match(response, /<D:displayname[^>]*>Work<\/D:displayname>/);
    assert.match(response, /<D:owner><D:href>\/dav\/principals\/users\/alice\/<\/D:href><\/D:owner>/);
    assert.match(response, /<D:privilege><D:read\/><\/D:privilege>/);
    assert.doesNotMatch(response, /<D:write|<D:bind|<D:write-content/, 'read access: no write privilege shown');
    assert.match(
      response,
      /<C:schedule-calendar-transp[^>]*><C:transparent\/><\/C:schedule-calendar-transp>/,
      '§5.5.5',
    );
    const token = /<D:sync-token>([^<]+)<\/D:sync-token>/.exec(response)?.[1];
    const ownerView = await propfind(server.url, 'alice', SHARED, '<D:sync-token/>');
    assert.ok(
      token && ownerView.includes(`<D:sync-token>${token}</D:sync-token>`),
      'the instance has the shared collection’s token',
    );
  });

  it('§5.5.3: a read-only sharee renames and recolours their instance; the owner’s collection is unchanged', async () => {
    const res = await davFetch(server.url, 'bob')(instance, {
      method: 'PROPPATCH',
      headers: XML,
      body: '<D:propertyupdate xmlns:D="DAV:" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Alice at work</D:displayname><I:calendar-color>#00FF00</I:calendar-color></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(res.status, 207);
    const answer = await res.text();
    assert.match(answer, new RegExp(`<D:href>${instance}</D:href>`));
    assert.match(answer, /HTTP\/1.1 200/);
    const mine = await propfind(server.url, 'bob', instance, '<D:displayname/><ICAL:calendar-color/><CS:shared-url/>');
    assert.match(mine, /<D:displayname[^>]*>Alice at work<\/D:displayname>/);
    assert.match(mine, /#00FF00/);
    assert.match(mine, /<CS:shared-url><D:href>\/dav\/calendars\/alice\/work\/<\/D:href><\/CS:shared-url>/);
    assert.match(mine, new RegExp(`<D:response><D:href>${instance}</D:href>`));
    const owners = await propfind(server.url, 'alice', SHARED, '<D:displayname/><ICAL:calendar-color/>');
    assert.match(owners, /<D:displayname[^>]*>Work<\/D:displayname>/);
    assert.match(owners, /#FF0000/);
  });

  it('§5.4.2: DELETE of the instance removes it, not the data; the invitation shows declined and access ends at once', async () => {
    const bob = davFetch(server.url, 'bob');
    assert.equal((await bob(instance, { method: 'DELETE' })).status, 204);
    const home = await propfind(server.url, 'bob', '/dav/calendars/bob/', '<D:resourcetype/>', '1');
    assert.doesNotMatch(home, /CS:shared/);
    assert.equal((await bob(instance, { method: 'PROPFIND', headers: { Depth: '0' } })).status, 404);
    assert.equal((await bob(SHARED, { method: 'PROPFIND', headers: { Depth: '0' } })).status, 403);
    const owner = await propfind(server.url, 'alice', SHARED, '<CS:invite/><D:displayname/>');
    assert.match(
      owner,
      /<D:href>mailto:bob@example.com<\/D:href><CS:common-name>bob<\/CS:common-name><CS:invite-declined\/>/,
    );
    assert.match(owner, /<D:displayname[^>]*>Work<\/D:displayname>/);
  });

  it('§5.4.1: declining an invitation makes no instance', async () => {
    const [invite] = await invitations(server.url, 'carol');
    assert.equal((await answer(server.url, 'carol', SHARED, invite!.uid, false)).status, 200);
    const home = await propfind(server.url, 'carol', '/dav/calendars/carol/', '<D:resourcetype/>', '1');
    assert.doesNotMatch(home, /CS:shared/);
  });
});
