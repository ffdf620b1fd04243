/**
 * caldav-sharing §5.5.1 (access levels) and the security of shares: a CS:read sharee reads and
 * cannot write; a CS:read-write sharee writes through their instance into the shared collection
 * (its change feed and sync token); reports through an instance answer the instance's hrefs; a
 * user the calendar is not shared with learns nothing by PROPFIND, multiget, sync-collection or
 * free-busy; unsharing ends access on the next request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { post, propfind, shareAndAccept, unshareBody, XML } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';
const event = (uid: string, summary: string): string =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n` +
  `DTSTART:20260110T100000Z\r\nDTEND:20260110T110000Z\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const REPORT = { ...XML, Depth: '1' };

function multiget(hrefs: readonly string[]): string {
  return (
    '<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">' +
    `<D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:calendar-multiget>`
  );
}
const SYNC =
  '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';
const FREE_BUSY =
  '<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20260101T000000Z" end="20260201T000000Z"/></C:free-busy-query>';

describe('caldav-sharing §5.5.1: access levels and what an unshared user sees', () => {
  let server: TestServer;
  let reader = ''; // bob's read-only instance
  let writer = ''; // dave's read-write instance
  before(async () => {
    server = await startTestServer({
      users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', dave: 'dave-pw' },
    });
    const alice = davFetch(server.url, 'alice');
    await alice(SHARED, { method: 'MKCALENDAR' });
    assert.equal(
      (await alice(`${SHARED}e1.ics`, { method: 'PUT', headers: ICS, body: event('e1', 'Busy') })).status,
      201,
    );
    reader = await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read');
    writer = await shareAndAccept(server.url, 'alice', SHARED, 'dave', 'read-write');
  });
  after(async () => server.close());

  it('CS:read: the sharee reads through the instance but cannot create, replace or delete (DAV:need-privileges)', async () => {
    const bob = davFetch(server.url, 'bob');
    const got = await bob(`${reader}e1.ics`);
    assert.equal(got.status, 200);
    assert.match(await got.text(), /SUMMARY:Busy/);
    const create = await bob(`${reader}new.ics`, { method: 'PUT', headers: ICS, body: event('n1', 'x') });
    assert.equal(create.status, 403);
    assert.match(await create.text(), /need-privileges/);
    assert.equal(
      (await bob(`${reader}e1.ics`, { method: 'PUT', headers: ICS, body: event('e1', 'Mine') })).status,
      403,
    );
    assert.equal((await bob(`${reader}e1.ics`, { method: 'DELETE' })).status, 403);
    assert.match(await (await davFetch(server.url, 'alice')(`${SHARED}e1.ics`)).text(), /SUMMARY:Busy/);
  });

  it('CS:read-write: the sharee writes through the instance into the shared collection; the token moves for everyone', async () => {
    const before = await propfind(server.url, 'alice', SHARED, '<D:sync-token/>');
    const dave = davFetch(server.url, 'dave');
    assert.equal(
      (await dave(`${writer}d1.ics`, { method: 'PUT', headers: ICS, body: event('d1', 'By dave') })).status,
      201,
    );
    const owner = await davFetch(server.url, 'alice')(`${SHARED}d1.ics`);
    assert.equal(owner.status, 200, 'the owner sees the sharee’s event in their calendar');
    const after = await propfind(server.url, 'alice', SHARED, '<D:sync-token/>');
    assert.notEqual(after, before);
    const token = /<D:sync-token>([^<]+)</.exec(after)?.[1];
    for (const [user, path] of [
      ['bob', reader],
      ['dave', writer],
    ] as const) {
      assert.ok((await propfind(server.url, user, path, '<D:sync-token/>')).includes(`>${token}<`), `${user} sees it`);
    }
    const cups = await propfind(server.url, 'dave', writer, '<D:current-user-privilege-set/>');
    assert.match(cups, /<D:write\/>/);
    assert.match(cups, /<D:write-content\/>/);
    assert.match(cups, /<D:bind\/>/);
    assert.doesNotMatch(cups, /<D:write-acl\/>/, 'only the owner holds write-acl');
    // Reached by the owner's path, the collection is still not the sharee's own.
    const direct = await propfind(server.url, 'dave', SHARED, '<D:resourcetype/><D:share-access/>');
    assert.doesNotMatch(direct, /shared-owner/);
    assert.match(direct, /<D:share-access><D:read-write\/><\/D:share-access>/);
  });

  it('reports through an instance answer the instance’s hrefs: calendar-multiget, sync-collection, calendar-query', async () => {
    const bob = davFetch(server.url, 'bob');
    const mg = await bob(reader, {
      method: 'REPORT',
      headers: REPORT,
      body: multiget([`${reader}e1.ics`, `${reader}d1.ics`]),
    });
    assert.equal(mg.status, 207);
    const mgText = await mg.text();
    assert.equal(mgText.match(/SUMMARY:/g)?.length, 2);
    assert.doesNotMatch(mgText, /calendars\/alice/, 'no owner href in the answer');
    const sync = await (await bob(reader, { method: 'REPORT', headers: REPORT, body: SYNC })).text();
    assert.match(sync, new RegExp(`<D:response><D:href>${reader}e1.ics</D:href>`));
    assert.match(sync, new RegExp(`<D:response><D:href>${reader}d1.ics</D:href>`));
    assert.doesNotMatch(sync, /calendars\/alice/);
    const query =
      '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>' +
      '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>';
    const q = await (await bob(reader, { method: 'REPORT', headers: REPORT, body: query })).text();
    assert.match(q, new RegExp(`<D:href>${reader}e1.ics</D:href>`));
    // The same report by the owner (the answer cache may hold it) keeps the owner's hrefs.
    const own = await (
      await davFetch(server.url, 'alice')(SHARED, { method: 'REPORT', headers: REPORT, body: query })
    ).text();
    assert.match(own, /<D:href>\/dav\/calendars\/alice\/work\/e1.ics<\/D:href>/);
  });

  it('an If header tagged with the instance’s href is evaluated on the shared resource (RFC 4918 §10.4.2)', async () => {
    const dave = davFetch(server.url, 'dave');
    const etag = (await dave(`${writer}d1.ics`)).headers.get('etag');
    assert.ok(etag);
    const ok = await dave(`${writer}d1.ics`, {
      method: 'PUT',
      headers: { ...ICS, If: `<${server.url}${writer}d1.ics> ([${etag}])` },
      body: event('d1', 'By dave, again'),
    });
    assert.equal(ok.status, 204);
    const stale = await dave(`${writer}d1.ics`, {
      method: 'PUT',
      headers: { ...ICS, If: `<${writer}d1.ics> ([${etag}])` },
      body: event('d1', 'Lost update'),
    });
    assert.equal(stale.status, 412);
  });

  it('a home’s PROPFIND Depth infinity lists an instance’s members under the instance', async () => {
    const res = await davFetch(server.url, 'bob')('/dav/calendars/bob/', {
      method: 'PROPFIND',
      headers: { Depth: 'infinity' },
    });
    const text = await res.text();
    assert.match(text, new RegExp(`<D:href>${reader}e1.ics</D:href>`));
    assert.doesNotMatch(text, /calendars\/alice/);
  });

  it('a user it is not shared with sees nothing: PROPFIND, multiget, sync-collection and free-busy are refused alike', async () => {
    const carol = davFetch(server.url, 'carol');
    // The answer for the shared event is the answer for a name that does not exist (RFC 3744 §7.1.1).
    for (const path of [SHARED, reader, `${reader}e1.ics`, `${SHARED}e1.ics`]) {
      const res = await carol(path, { method: 'PROPFIND', headers: { Depth: '0' } });
      assert.equal(res.status, 403, `PROPFIND ${path}`);
      const missing = await carol(path.replace(/e1\.ics$|[^/]+\/$/, 'zz'), {
        method: 'PROPFIND',
        headers: { Depth: '0' },
      });
      const text = await res.text();
      assert.doesNotMatch(text, /Busy|getetag/);
      assert.equal(missing.status, 403);
      assert.equal((await missing.text()).replaceAll('zz', ''), text.replace(/e1\.ics|[^/]+\/(?=<|\s)/g, ''));
    }
    for (const body of [multiget([`${SHARED}e1.ics`]), SYNC, FREE_BUSY]) {
      for (const path of [SHARED, reader]) {
        const res = await carol(path, { method: 'REPORT', headers: REPORT, body });
        assert.equal(res.status, 403, `REPORT ${path}`);
        assert.doesNotMatch(await res.text(), /Busy|BEGIN:VFREEBUSY|FREEBUSY:/);
      }
    }
    // Naming the shared event from carol's own calendar reaches nothing either.
    const own = await carol('/dav/calendars/carol/default/', {
      method: 'REPORT',
      headers: REPORT,
      body: multiget([`${SHARED}e1.ics`, `${reader}e1.ics`]),
    });
    const text = await own.text();
    assert.equal(text.match(/404 Not Found/g)?.length, 2);
    assert.doesNotMatch(text, /Busy/);
  });

  it('unsharing takes effect at once: the instance and the grant go on the next request', async () => {
    assert.equal((await post(server.url, 'alice', SHARED, unshareBody('mailto:dave@example.com'))).status, 200);
    const dave = davFetch(server.url, 'dave');
    assert.equal((await dave(writer, { method: 'PROPFIND', headers: { Depth: '0' } })).status, 404);
    assert.equal((await dave(`${SHARED}e1.ics`)).status, 403);
    assert.equal((await dave(`${writer}x.ics`, { method: 'PUT', headers: ICS, body: event('x', 'x') })).status, 409);
    const home = await propfind(server.url, 'dave', '/dav/calendars/dave/', '<D:resourcetype/>', '1');
    assert.doesNotMatch(home, /CS:shared/);
  });
});
