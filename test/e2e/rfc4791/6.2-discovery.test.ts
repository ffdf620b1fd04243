/** RFC 6764 §5/§6, RFC 5397 §3 and RFC 4791 §6.2.1: how clients find the calendar home. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseXml } from '../../../src/xml/parse.js';
import { elements, firstChild, textOf } from '../../../src/xml/element.js';
import { caldav, dav } from '../../../src/xml/names.js';
import { propOf, startCalServer, XML, type CalServer } from './caldav-client.js';

let s: CalServer;
before(async () => { s = await startCalServer(); });
after(() => s.close());

const PROPS = '<D:current-user-principal/><C:calendar-home-set/><C:calendar-user-address-set/><D:principal-URL/>';
async function propfind(path: string, depth = '0') {
  const res = await s.fetch(path, { method: 'PROPFIND', headers: { ...XML, Depth: depth }, body: `<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop>${PROPS}<D:resourcetype/><D:displayname/><C:supported-calendar-component-set/></D:prop></D:propfind>` });
  assert.equal(res.status, 207);
  return parseXml(await res.text());
}

describe('CalDAV discovery', () => {
  it('RFC 6764 §5: /.well-known/caldav redirects to the DAV root', async () => {
    const res = await fetch(new URL('/.well-known/caldav', s.server.url), { redirect: 'manual', method: 'PROPFIND' });
    assert.ok([301, 302, 307, 308].includes(res.status));
    assert.equal(res.headers.get('location'), '/dav/');
  });

  it('the DAV header advertises calendar-access (RFC 4791 §5.1)', async () => {
    const res = await s.fetch('/dav/calendars/alice/default/', { method: 'OPTIONS' });
    assert.match(res.headers.get('dav') ?? '', /\bcalendar-access\b/);
    assert.match(res.headers.get('allow') ?? '', /REPORT/);
    const root = await s.fetch('/dav/', { method: 'OPTIONS' });
    assert.match(root.headers.get('allow') ?? '', /MKCALENDAR|PROPFIND/);
  });

  it('RFC 5397: the DAV root answers current-user-principal (and the calendar home)', async () => {
    const ms = await propfind('/dav/');
    assert.equal(textOf(firstChild(propOf(ms, dav('current-user-principal'))!, dav('href'))!), '/dav/principals/users/alice/');
    assert.equal(textOf(firstChild(propOf(ms, caldav('calendar-home-set'))!, dav('href'))!), '/dav/calendars/alice/');
    assert.deepEqual(elements(propOf(ms, caldav('calendar-user-address-set'))!, dav('href')).map(textOf), ['mailto:alice@example.com', '/dav/principals/users/alice/']);
  });

  it('RFC 4791 §6.2.1 / RFC 6638 §2.4.1: the principal has calendar-home-set and calendar-user-address-set', async () => {
    const ms = await propfind('/dav/principals/users/alice/');
    assert.equal(textOf(firstChild(propOf(ms, caldav('calendar-home-set'))!, dav('href'))!), '/dav/calendars/alice/');
    const addrs = elements(propOf(ms, caldav('calendar-user-address-set'))!, dav('href')).map(textOf);
    assert.deepEqual(addrs, ['mailto:alice@example.com', '/dav/principals/users/alice/']);
  });

  it('a new user has a default calendar for events and tasks', async () => {
    const ms = await propfind('/dav/calendars/alice/', '1');
    const responses = elements(ms, dav('response'));
    const def = responses.find((r) => textOf(firstChild(r, dav('href'))!) === '/dav/calendars/alice/default/');
    assert.ok(def, 'default calendar listed in the home');
    const comps = JSON.stringify(def);
    assert.match(comps, /urn:ietf:params:xml:ns:caldav}calendar/);
    assert.match(comps, /VEVENT/);
    assert.match(comps, /VTODO/);
  });
});
