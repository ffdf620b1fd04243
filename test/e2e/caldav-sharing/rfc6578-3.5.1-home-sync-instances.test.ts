/**
 * RFC 6578 §3.5.1 on a sharee's calendar home: their instances of shared calendars are members
 * of the home (as its PROPFIND lists them), so sync-collection on the home reports an instance
 * appearing (accepted), changing (the shared calendar's contents, the sharee's own properties)
 * and going (unshared, declined by DELETE, the calendar deleted) — what iOS and macOS read to
 * find new and removed calendars.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { post, shareAndAccept, unshareBody, XML } from './sharing-steps.js';

const HOME = '/dav/calendars/bob/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const event = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n` +
  `DTSTART:20260110T100000Z\r\nDTEND:20260110T110000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

const sync = (token: string) =>
  '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">' +
  `<D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level>` +
  '<D:prop><D:displayname/><D:getetag/><D:resourcetype/></D:prop></D:sync-collection>';

interface Synced {
  readonly token: string;
  readonly body: string;
}

describe('RFC 6578 §3.5.1: sync-collection on a home reports the sharee’s instances', () => {
  let server: TestServer;
  let token = '';
  let work = ''; // bob's instance of alice's work calendar
  const alice = () => davFetch(server.url, 'alice');

  async function syncHome(from: string): Promise<Synced> {
    const res = await davFetch(server.url, 'bob')(HOME, { method: 'REPORT', headers: XML, body: sync(from) });
    assert.equal(res.status, 207);
    const body = await res.text();
    const next = /<D:sync-token>([^<]+)<\/D:sync-token>/.exec(body)?.[1];
    assert.ok(next);
    return { token: next, body };
  }

  /** The response for `href` in a multistatus, or undefined. */
  const responseFor = (body: string, href: string) =>
    body.split('<D:response>').find((r) => r.includes(`<D:href>${href}</D:href>`));

  before(async () => {
    server = await startTestServer();
    for (const cal of ['work', 'team'])
      assert.equal((await alice()(`/dav/calendars/alice/${cal}/`, { method: 'MKCALENDAR' })).status, 201);
    token = (await syncHome('')).token;
  });
  after(async () => server.close());

  it('an accepted share appears in the home’s sync, with the instance’s properties', async () => {
    work = await shareAndAccept(server.url, 'alice', '/dav/calendars/alice/work/', 'bob', 'read-write');
    const { token: next, body } = await syncHome(token);
    const r = responseFor(body, work);
    assert.ok(r, `the instance ${work} is reported: ${body}`);
    assert.match(r, /<CS:shared\/>|<CS:shared /);
    assert.match(r, /<D:getetag>/);
    token = next;
    assert.ok(responseFor((await syncHome('')).body, work), 'an initial sync lists it too');
  });

  it('a change in the shared calendar and a change of the sharee’s own properties report the instance changed', async () => {
    const instance = work;
    assert.equal(
      (await alice()('/dav/calendars/alice/work/e1.ics', { method: 'PUT', headers: ICS, body: event('e1') })).status,
      201,
    );
    let step = await syncHome(token);
    assert.ok(responseFor(step.body, instance), 'new contents: the instance’s etag changed');
    token = step.token;
    const patch = await davFetch(server.url, 'bob')(instance, {
      method: 'PROPPATCH',
      headers: XML,
      body: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Bob’s view</D:displayname></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(patch.status, 207);
    step = await syncHome(token);
    assert.match(responseFor(step.body, instance) ?? '', /Bob’s view/);
    token = step.token;
    step = await syncHome(token);
    assert.equal(responseFor(step.body, instance), undefined, 'nothing new: nothing reported');
  });

  it('an instance going — unshared, deleted by the sharee, or its calendar deleted — is reported 404', async () => {
    assert.equal(
      (await post(server.url, 'alice', '/dav/calendars/alice/work/', unshareBody('mailto:bob@example.com'))).status,
      200,
    );
    let step = await syncHome(token);
    assert.match(responseFor(step.body, work) ?? '', /404/);
    token = step.token;

    const team = await shareAndAccept(server.url, 'alice', '/dav/calendars/alice/team/', 'bob', 'read');
    token = (await syncHome(token)).token;
    assert.equal((await davFetch(server.url, 'bob')(team, { method: 'DELETE' })).status, 204);
    step = await syncHome(token);
    assert.match(responseFor(step.body, team) ?? '', /404/);
    token = step.token;

    const again = await shareAndAccept(server.url, 'alice', '/dav/calendars/alice/team/', 'bob', 'read');
    token = (await syncHome(token)).token;
    assert.equal((await alice()('/dav/calendars/alice/team/', { method: 'DELETE' })).status, 204);
    step = await syncHome(token);
    assert.match(responseFor(step.body, again) ?? '', /404/);
  });
});
