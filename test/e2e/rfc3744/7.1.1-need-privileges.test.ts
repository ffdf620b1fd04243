import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

describe("RFC 3744 §7.1.1: a user cannot read or change another user's data", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    const alice = davFetch(server.url, 'alice');
    assert.equal((await alice('/dav/files/alice/secret.txt', { method: 'PUT', body: 'alice only' })).status, 201);
  });
  after(async () => server.close());

  const attempts: [string, string, Record<string, string>, string?][] = [
    ['GET', '/dav/files/alice/secret.txt', {}],
    ['PROPFIND', '/dav/files/alice/', { Depth: '1' }],
    ['PUT', '/dav/files/alice/secret.txt', {}, 'overwritten by bob'],
    ['PUT', '/dav/files/alice/new.txt', {}, 'planted by bob'],
    ['DELETE', '/dav/files/alice/secret.txt', {}],
    ['MKCOL', '/dav/files/alice/bobdir', {}],
    [
      'PROPPATCH',
      '/dav/files/alice/secret.txt',
      {},
      '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>',
    ],
    [
      'LOCK',
      '/dav/files/alice/secret.txt',
      {},
      '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>',
    ],
    ['GET', '/dav/calendars/alice/default/', {}],
  ];
  for (const [method, path, headers, body] of attempts) {
    it(`bob ${method} ${path}: 403 with DAV:need-privileges`, async () => {
      const bob = davFetch(server.url, 'bob');
      const res = await bob(path, { method, headers, ...(body ? { body } : {}) });
      assert.equal(res.status, 403);
      const text = await res.text();
      assert.match(text, /<D:need-privileges>/);
      assert.match(text, /<D:href>\/dav\/(files|calendars)\/alice\//);
    });
  }

  it("bob MOVE and COPY into alice's area: 403", async () => {
    const bob = davFetch(server.url, 'bob');
    assert.equal((await bob('/dav/files/bob/mine.txt', { method: 'PUT', body: 'bob' })).status, 201);
    for (const method of ['COPY', 'MOVE']) {
      const res = await bob('/dav/files/bob/mine.txt', {
        method,
        headers: { Destination: `${server.url}/dav/files/alice/mine.txt` },
      });
      assert.equal(res.status, 403, method);
    }
    const res = await bob('/dav/files/alice/secret.txt', {
      method: 'COPY',
      headers: { Destination: `${server.url}/dav/files/bob/stolen.txt` },
    });
    assert.equal(res.status, 403);
  });

  it("alice's data is unchanged after every attempt", async () => {
    const alice = davFetch(server.url, 'alice');
    const res = await alice('/dav/files/alice/secret.txt');
    assert.equal(await res.text(), 'alice only');
    assert.equal((await alice('/dav/files/alice/new.txt')).status, 404);
  });

  it("bob's view of /dav/files/ lists only his own home", async () => {
    const bob = davFetch(server.url, 'bob');
    const text = await (await bob('/dav/files/', { method: 'PROPFIND', headers: { Depth: '1' } })).text();
    assert.match(text, /\/dav\/files\/bob\//);
    assert.doesNotMatch(text, /\/dav\/files\/alice\//);
  });
});
