/**
 * RFC 4918 §9.1 PROPFIND Depth 1 with `Prefer: return=minimal` (RFC 8144 §4.1, and the older
 * `Brief: t`): members answer without their 404 propstat, a member with nothing found keeps one
 * propstat, and dead properties of members (one query per page) land in the right response.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { elements, textOf, type XmlElement } from '../../../src/xml/element.js';
import { parseXml } from '../../../src/xml/parse.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const D = 'DAV:';
const X = 'urn:example:minimal';
const DIR = '/dav/files/alice/minimal/';
const BODY = `<D:propfind xmlns:D="DAV:" xmlns:x="${X}"><D:prop><D:getetag/><D:displayname/><x:colour/></D:prop></D:propfind>`;

/** Per href: status line → the Clark names in that propstat. */
function byHref(xml: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const r of elements(parseXml(xml), `{${D}}response`)) {
    const href = textOf(elements(r, `{${D}}href`)[0] as XmlElement);
    const stats = new Map<string, string[]>();
    for (const ps of elements(r, `{${D}}propstat`)) {
      const status = textOf(elements(ps, `{${D}}status`)[0] as XmlElement);
      const prop = elements(ps, `{${D}}prop`)[0] as XmlElement;
      stats.set(
        status,
        elements(prop).map((e) => e.name),
      );
    }
    out.set(href, stats);
  }
  return out;
}

describe('RFC 4918 §9.1 / RFC 8144 §4.1 PROPFIND Depth 1 with return=minimal', () => {
  let server: TestServer;
  let dav: ReturnType<typeof davFetch>;

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw' } });
    dav = davFetch(server.url, 'alice');
    assert.equal((await dav(DIR, { method: 'MKCOL' })).status, 201);
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      const res = await dav(`${DIR}${name}`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: name });
      assert.equal(res.status, 201);
    }
    const patch = (name: string, prop: string) =>
      dav(`${DIR}${name}`, {
        method: 'PROPPATCH',
        headers: { 'Content-Type': 'application/xml' },
        body: `<D:propertyupdate xmlns:D="DAV:" xmlns:x="${X}"><D:set><D:prop>${prop}</D:prop></D:set></D:propertyupdate>`,
      });
    assert.equal((await patch('a.txt', '<x:colour>red &amp; blue</x:colour>')).status, 207);
    assert.equal((await patch('b.txt', '<D:displayname>Bee</D:displayname>')).status, 207);
  });
  after(() => server.close());

  it('without Prefer: each member has its own dead properties in 200 and the rest in 404', async () => {
    const res = await dav(DIR, {
      method: 'PROPFIND',
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: BODY,
    });
    assert.equal(res.status, 207);
    assert.equal(res.headers.get('preference-applied'), null);
    const got = byHref(await res.text());
    assert.deepEqual(got.get(`${DIR}a.txt`)?.get('HTTP/1.1 200 OK'), [`{${D}}getetag`, `{${X}}colour`]);
    assert.deepEqual(got.get(`${DIR}a.txt`)?.get('HTTP/1.1 404 Not Found'), [`{${D}}displayname`]);
    assert.deepEqual(got.get(`${DIR}b.txt`)?.get('HTTP/1.1 200 OK'), [`{${D}}getetag`, `{${D}}displayname`]);
    assert.deepEqual(got.get(`${DIR}c.txt`)?.get('HTTP/1.1 404 Not Found'), [`{${D}}displayname`, `{${X}}colour`]);
    assert.deepEqual(got.get(DIR)?.get('HTTP/1.1 404 Not Found'), [`{${D}}displayname`, `{${X}}colour`]);
  });

  for (const [label, headers] of [
    ['Prefer: return=minimal', { Prefer: 'return=minimal' }],
    ['Brief: t', { Brief: 't' }],
  ] as const) {
    it(`${label}: no 404 propstat, and a resource with nothing found keeps its one propstat`, async () => {
      const res = await dav(DIR, {
        method: 'PROPFIND',
        headers: { Depth: '1', 'Content-Type': 'application/xml', ...headers },
        body: BODY,
      });
      assert.equal(res.status, 207);
      assert.equal(res.headers.get('preference-applied'), 'return=minimal');
      const got = byHref(await res.text());
      assert.deepEqual([...(got.get(`${DIR}a.txt`)?.keys() ?? [])], ['HTTP/1.1 200 OK']);
      assert.deepEqual(got.get(`${DIR}a.txt`)?.get('HTTP/1.1 200 OK'), [`{${D}}getetag`, `{${X}}colour`]);
      assert.deepEqual([...(got.get(`${DIR}c.txt`)?.keys() ?? [])], ['HTTP/1.1 200 OK']);
      assert.deepEqual([...(got.get(DIR)?.keys() ?? [])], ['HTTP/1.1 200 OK']);
      // Asked only for properties c.txt does not have: its one propstat (404) stays.
      const none = await dav(`${DIR}c.txt`, {
        method: 'PROPFIND',
        headers: { Depth: '0', 'Content-Type': 'application/xml', ...headers },
        body: `<D:propfind xmlns:D="DAV:" xmlns:x="${X}"><D:prop><D:displayname/><x:colour/></D:prop></D:propfind>`,
      });
      const only = byHref(await none.text()).get(`${DIR}c.txt`);
      assert.deepEqual([...(only?.keys() ?? [])], ['HTTP/1.1 404 Not Found']);
      assert.deepEqual(only?.get('HTTP/1.1 404 Not Found'), [`{${D}}displayname`, `{${X}}colour`]);
    });
  }
});
