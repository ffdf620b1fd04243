import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { basic, davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

/** Send a request with a raw, unnormalised target (fetch would clean `..` away). */
function rawRequest(base: string, method: string, target: string): Promise<number> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method, path: target, headers: { Authorization: basic('alice', 'alice-pw') } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&lol3;</D:displayname></D:prop></D:propfind>`;

const XXE = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>&e;</D:displayname></D:prop></D:set></D:propertyupdate>`;

describe('bad input gets a clear error and never harms stored data', () => {
  let server: TestServer;
  let dav: ReturnType<typeof davFetch>;
  before(async () => {
    server = await startTestServer({ config: { maxUploadBytes: 64 * 1024, maxXmlBytes: 256 * 1024 } });
    dav = davFetch(server.url, 'alice');
    assert.equal((await dav('/dav/files/alice/keep.txt', { method: 'PUT', body: 'precious' })).status, 201);
  });
  after(async () => server.close());

  it('a DTD with entity declarations is refused with 400 and nothing is expanded (RFC 4918 §20.6)', async () => {
    for (const [method, path, body] of [
      ['PROPFIND', '/dav/files/alice/', BILLION_LAUGHS],
      ['PROPPATCH', '/dav/files/alice/keep.txt', XXE],
    ] as const) {
      const res = await dav(path, { method, headers: { Depth: '0', 'Content-Type': 'application/xml' }, body });
      assert.equal(res.status, 400, method);
      const text = await res.text();
      assert.match(text, /DOCTYPE/);
      assert.doesNotMatch(text, /lollol|root:/);
    }
  });

  it('malformed XML is a 400 with a message', async () => {
    const res = await dav('/dav/files/alice/', {
      method: 'PROPFIND',
      headers: { Depth: '0' },
      body: '<D:propfind xmlns:D="DAV:"><D:prop>',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /malformed XML/);
  });

  it('XML nested deeper than the limit is a 400', async () => {
    const deep = `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">${'<a>'.repeat(200)}${'</a>'.repeat(200)}</x></D:prop></D:set></D:propertyupdate>`;
    const res = await dav('/dav/files/alice/keep.txt', { method: 'PROPPATCH', body: deep });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /nesting deeper/);
  });

  it('an XML body over the size limit is a 413', async () => {
    const big = `<D:propfind xmlns:D="DAV:"><D:prop>${'<D:displayname/>'.repeat(20_000)}</D:prop></D:propfind>`;
    const res = await dav('/dav/files/alice/', { method: 'PROPFIND', headers: { Depth: '0' }, body: big });
    assert.equal(res.status, 413);
  });

  it('a PUT over the upload limit is a 413 and stores nothing', async () => {
    const res = await dav('/dav/files/alice/huge.bin', { method: 'PUT', body: new Uint8Array(65 * 1024) });
    assert.equal(res.status, 413);
    assert.equal((await dav('/dav/files/alice/huge.bin')).status, 404);
  });

  for (const target of [
    '/dav/files/alice/../bob/',
    '/dav/files/alice/%2e%2e/bob/',
    '/dav/files/alice%2Fsecret',
    '/dav/files/alice/%ff%fe.txt',
    '/dav/files/alice/%00x',
    '/dav/files/alice/%zz',
  ]) {
    it(`path ${target} is refused with 400`, async () => {
      assert.equal(await rawRequest(server.url, 'GET', target), 400);
    });
  }

  it('invalid Depth, Overwrite, Timeout and If headers are 400s', async () => {
    assert.equal((await dav('/dav/files/alice/', { method: 'PROPFIND', headers: { Depth: 'two' } })).status, 400);
    assert.equal(
      (
        await dav('/dav/files/alice/keep.txt', {
          method: 'COPY',
          headers: { Destination: '/dav/files/alice/k2.txt', Overwrite: 'maybe' },
        })
      ).status,
      400,
    );
    assert.equal(
      (await dav('/dav/files/alice/keep.txt', { method: 'PUT', headers: { If: '(<urn:x' }, body: 'x' })).status,
      400,
    );
  });

  it('after all of that the stored file is intact and the server answers', async () => {
    const res = await dav('/dav/files/alice/keep.txt');
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'precious');
  });
});
