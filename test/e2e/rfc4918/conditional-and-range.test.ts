import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INFINITY_MEMBERS } from '../../../src/dav/webdav/methods/propfind.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

describe('RFC 9110 §13 conditional requests and §14 ranges on WebDAV resources', () => {
  let server: TestServer;
  let dav: ReturnType<typeof davFetch>;
  let etag = '';
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
    const res = await dav('/dav/files/alice/abc.txt', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: '0123456789',
    });
    assert.equal(res.status, 201);
    etag = res.headers.get('etag') ?? '';
    assert.match(etag, /^"[^"]+"$/);
  });
  after(async () => server.close());

  it('GET returns the body, type, ETag and Last-Modified', async () => {
    const res = await dav('/dav/files/alice/abc.txt');
    assert.equal(await res.text(), '0123456789');
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(res.headers.get('etag'), etag);
    assert.ok(res.headers.get('last-modified'));
  });

  it('HEAD has the headers and no body', async () => {
    const res = await dav('/dav/files/alice/abc.txt', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '10');
    assert.equal(await res.text(), '');
  });

  it('Range: bytes=2-4, bytes=-3 and bytes=7- give 206 with Content-Range; past the end gives 416', async () => {
    for (const [range, body, cr] of [
      ['bytes=2-4', '234', 'bytes 2-4/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
    ]) {
      const res = await dav('/dav/files/alice/abc.txt', { headers: { Range: range ?? '' } });
      assert.equal(res.status, 206, range);
      assert.equal(await res.text(), body);
      assert.equal(res.headers.get('content-range'), cr);
    }
    assert.equal((await dav('/dav/files/alice/abc.txt', { headers: { Range: 'bytes=50-60' } })).status, 416);
  });

  it('If-None-Match with the current ETag: 304 on GET', async () => {
    assert.equal((await dav('/dav/files/alice/abc.txt', { headers: { 'If-None-Match': etag } })).status, 304);
  });

  it('If-Modified-Since in the future: 304', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    assert.equal((await dav('/dav/files/alice/abc.txt', { headers: { 'If-Modified-Since': later } })).status, 304);
  });

  it('PUT with a stale If-Match is 412 and changes nothing; with the current one it succeeds', async () => {
    assert.equal(
      (await dav('/dav/files/alice/abc.txt', { method: 'PUT', headers: { 'If-Match': '"stale"' }, body: 'lost' }))
        .status,
      412,
    );
    assert.equal(await (await dav('/dav/files/alice/abc.txt')).text(), '0123456789');
    const ok = await dav('/dav/files/alice/abc.txt', { method: 'PUT', headers: { 'If-Match': etag }, body: 'new' });
    assert.equal(ok.status, 204);
    assert.notEqual(ok.headers.get('etag'), etag);
  });

  it('PUT with If-None-Match: * on an existing resource is 412; on a new one 201', async () => {
    assert.equal(
      (await dav('/dav/files/alice/abc.txt', { method: 'PUT', headers: { 'If-None-Match': '*' }, body: 'x' })).status,
      412,
    );
    assert.equal(
      (await dav('/dav/files/alice/fresh.txt', { method: 'PUT', headers: { 'If-None-Match': '*' }, body: 'x' })).status,
      201,
    );
  });

  it(`RFC 4918 §9.1: PROPFIND Depth: infinity lists a tree of up to ${INFINITY_MEMBERS} resources; a larger one is refused with DAV:propfind-finite-depth`, async () => {
    assert.equal((await dav('/dav/files/alice/deep/', { method: 'MKCOL' })).status, 201);
    assert.equal((await dav('/dav/files/alice/deep/inner/', { method: 'MKCOL' })).status, 201);
    assert.equal((await dav('/dav/files/alice/deep/inner/leaf.txt', { method: 'PUT', body: 'leaf' })).status, 201);
    const small = await dav('/dav/files/alice/deep/', { method: 'PROPFIND', headers: { Depth: 'infinity' } });
    assert.equal(small.status, 207);
    const hrefs = [...(await small.text()).matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]).sort();
    assert.deepEqual(hrefs, [
      '/dav/files/alice/deep/',
      '/dav/files/alice/deep/inner/',
      '/dav/files/alice/deep/inner/leaf.txt',
    ]);

    const alice = await server.store.getUserByName('alice');
    await server.store.transaction(['/files/alice'], async (t) => {
      for (let i = 0; i <= INFINITY_MEMBERS; i++) {
        await t.putObject(`/files/alice/deep/inner/f${i}.txt`, {
          ownerId: alice!.id,
          body: new TextEncoder().encode(`f${i}`),
          contentType: 'text/plain',
          etag: `"f${i}"`,
          index: {},
        });
      }
    });
    const large = await dav('/dav/files/alice/deep/', { method: 'PROPFIND', headers: { Depth: 'infinity' } });
    assert.equal(large.status, 403);
    assert.match(await large.text(), /<D:propfind-finite-depth\/>/);
    assert.equal(
      (await dav('/dav/files/alice/deep/', { method: 'PROPFIND', headers: { Depth: '1' } })).status,
      207,
      'Depth 1 still answers',
    );
  });

  it('RFC 9110 §8.8.2 / §13.1.3: a collection has Last-Modified, moved by member writes; GET If-Modified-Since is 304 until a member changes; PROPFIND ignores If-Modified-Since (GET and HEAD only)', async () => {
    const cal = '/dav/calendars/alice/default/';
    const head = await dav(cal, { method: 'HEAD' });
    assert.equal(head.status, 200);
    const since = head.headers.get('last-modified') ?? '';
    assert.match(since, /GMT$/);
    assert.equal((await dav(cal, { headers: { 'If-Modified-Since': since } })).status, 304);
    const propfind = await dav(cal, { method: 'PROPFIND', headers: { Depth: '0', 'If-Modified-Since': since } });
    assert.equal(propfind.status, 207, 'If-Modified-Since is for GET and HEAD only');
    await new Promise((r) => setTimeout(r, 1100)); // HTTP dates have whole seconds
    const ics =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:ims-1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    assert.equal(
      (await dav(`${cal}ims-1.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: ics })).status,
      201,
    );
    const again = await dav(cal, { headers: { 'If-Modified-Since': since } });
    assert.equal(again.status, 200);
    assert.ok(
      Date.parse(again.headers.get('last-modified') ?? '') > Date.parse(since),
      'a member write moved Last-Modified',
    );
  });

  it('a PUT into a missing collection is 409', async () => {
    assert.equal((await dav('/dav/files/alice/nope/x.txt', { method: 'PUT', body: 'x' })).status, 409);
  });
});
