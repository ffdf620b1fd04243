/** RFC 6764 §5/§6, RFC 5397 §3 and RFC 4791 §6.2.1: how clients find the calendar home. */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { basic, startTestServer } from '../../helpers/server.js';
import { parseXml } from '../../../src/xml/parse.js';
import { elements, firstChild, textOf } from '../../../src/xml/element.js';
import { caldav, dav } from '../../../src/xml/names.js';
import { propOf, startCalServer, XML, type CalServer } from './caldav-client.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});

/** A GET over a plain socket (fetch will not send another Host); the answer's head. */
function rawRequest(url: URL, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      const all = { Host: url.host, Connection: 'close', ...headers };
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\n${Object.entries(all)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\n\r\n`,
      );
    });
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('end', () => resolve(text.split('\r\n\r\n')[0] + '\r\n'));
    socket.on('error', reject);
  });
}
after(() => s.close());

const PROPS = '<D:current-user-principal/><C:calendar-home-set/><C:calendar-user-address-set/><D:principal-URL/>';
async function propfind(path: string, depth = '0') {
  const res = await s.fetch(path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: depth },
    body: `<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop>${PROPS}<D:resourcetype/><D:displayname/><C:supported-calendar-component-set/></D:prop></D:propfind>`,
  });
  assert.equal(res.status, 207);
  return parseXml(await res.text());
}

describe('CalDAV discovery', () => {
  it('RFC 6764 §5: /.well-known/caldav and /carddav redirect to the DAV root with an absolute Location, for GET and PROPFIND Depth 0/1, with and without credentials', async () => {
    const origin = new URL(s.server.url).origin;
    for (const path of ['/.well-known/caldav', '/.well-known/carddav', '/.well-known/caldav/']) {
      for (const method of ['GET', 'PROPFIND']) {
        for (const headers of [
          {},
          { Depth: '0' },
          { Depth: '1' },
          { Authorization: basic('alice', 'alice-pw'), Depth: '0' },
        ] as Record<string, string>[]) {
          const res = await fetch(new URL(path, s.server.url), { redirect: 'manual', method, headers });
          assert.equal(res.status, 301, `${method} ${path} ${JSON.stringify(headers)}`);
          assert.equal(res.headers.get('location'), `${origin}/dav/`);
          assert.equal(res.headers.get('cache-control'), 'no-store');
        }
      }
    }
  });

  it('RFC 6764 §5: behind a proxy that is not trusted, X-Forwarded-Proto is ignored; a Host that is no host[:port] gets the relative Location', async () => {
    const url = new URL('/.well-known/caldav', s.server.url);
    const forwarded = await rawRequest(url, { 'X-Forwarded-Proto': 'https' });
    assert.match(forwarded, /\r\nLocation: http:\/\/127\.0\.0\.1:\d+\/dav\/\r\n/i);
    const odd = await rawRequest(url, { Host: 'evil.example/x?y' });
    assert.match(odd, /\r\nLocation: \/dav\/\r\n/i);
  });

  it('RFC 6764 §5 behind a trusted TLS proxy: X-Forwarded-Proto: https gives an https Location', async () => {
    const proxied = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] } });
    try {
      const head = await rawRequest(new URL('/.well-known/carddav', proxied.url), {
        Host: 'dav.example.org',
        'X-Forwarded-Proto': 'https',
      });
      assert.match(head, /\r\nLocation: https:\/\/dav\.example\.org\/dav\/\r\n/i);
    } finally {
      await proxied.close();
    }
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
    assert.equal(
      textOf(firstChild(propOf(ms, dav('current-user-principal'))!, dav('href'))!),
      '/dav/principals/users/alice/',
    );
    assert.equal(textOf(firstChild(propOf(ms, caldav('calendar-home-set'))!, dav('href'))!), '/dav/calendars/alice/');
    assert.deepEqual(elements(propOf(ms, caldav('calendar-user-address-set'))!, dav('href')).map(textOf), [
      'mailto:alice@example.com',
      '/dav/principals/users/alice/',
    ]);
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
