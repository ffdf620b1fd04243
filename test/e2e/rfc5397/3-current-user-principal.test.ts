import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const PROPFIND = (props: string) =>
  `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>${props}</D:prop></D:propfind>`;

describe('RFC 5397 §3 and RFC 3744 §4–5: principals', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  for (const path of ['/', '/dav/', '/dav/files/alice/', '/dav/principals/users/bob/']) {
    it(`current-user-principal on ${path} names the authenticated user`, async () => {
      const res = await davFetch(server.url, 'alice')(path, {
        method: 'PROPFIND',
        headers: { Depth: '0' },
        body: PROPFIND('<D:current-user-principal/>'),
      });
      assert.equal(res.status, 207);
      assert.match(await res.text(), /<D:current-user-principal><D:href>\/dav\/principals\/users\/alice\/<\/D:href>/);
    });
  }

  it('the principal resource: resourcetype principal, principal-URL, displayname, owner, ACL properties', async () => {
    const res = await davFetch(server.url, 'alice')('/dav/principals/users/alice/', {
      method: 'PROPFIND',
      headers: { Depth: '0' },
      body: PROPFIND(
        '<D:resourcetype/><D:principal-URL/><D:displayname/><D:owner/><D:current-user-privilege-set/><D:supported-privilege-set/><D:acl/><D:principal-collection-set/><D:alternate-URI-set/>',
      ),
    });
    const text = await res.text();
    assert.equal(res.status, 207);
    assert.match(text, /<D:resourcetype><D:collection\/><D:principal\/><\/D:resourcetype>/);
    assert.match(text, /<D:principal-URL><D:href>\/dav\/principals\/users\/alice\/<\/D:href><\/D:principal-URL>/);
    assert.match(text, /<D:displayname>alice<\/D:displayname>/);
    assert.match(text, /<D:current-user-privilege-set><D:privilege><D:read\/><\/D:privilege>/);
    assert.match(text, /<D:supported-privilege-set><D:supported-privilege><D:privilege><D:all\/>/);
    assert.match(text, /<D:alternate-URI-set><D:href>mailto:alice@example.com<\/D:href>/);
    assert.match(text, /<D:principal-collection-set><D:href>\/dav\/principals\/users\/<\/D:href>/);
    assert.doesNotMatch(text, /404 Not Found/);
  });

  it('on her own files: owner is alice, current-user-privilege-set is all, acl grants all to alice', async () => {
    const res = await davFetch(server.url, 'alice')('/dav/files/alice/', {
      method: 'PROPFIND',
      headers: { Depth: '0' },
      body: PROPFIND('<D:owner/><D:current-user-privilege-set/><D:acl/>'),
    });
    const text = await res.text();
    assert.match(text, /<D:owner><D:href>\/dav\/principals\/users\/alice\/<\/D:href><\/D:owner>/);
    // RFC 3744 §5.4: the aggregate and every privilege it contains.
    assert.match(
      text,
      /<D:current-user-privilege-set><D:privilege><D:all\/><\/D:privilege><D:privilege><D:read\/><\/D:privilege><D:privilege><C:read-free-busy\/><\/D:privilege><D:privilege><D:write\/><\/D:privilege><D:privilege><D:write-properties\/><\/D:privilege><D:privilege><D:write-content\/><\/D:privilege><D:privilege><D:bind\/><\/D:privilege><D:privilege><D:unbind\/><\/D:privilege><D:privilege><D:unlock\/><\/D:privilege><D:privilege><D:read-acl\/><\/D:privilege><D:privilege><D:read-current-user-privilege-set\/><\/D:privilege><D:privilege><D:write-acl\/><\/D:privilege><\/D:current-user-privilege-set>/,
    );
    assert.match(
      text,
      /<D:ace><D:principal><D:href>\/dav\/principals\/users\/alice\/<\/D:href><\/D:principal><D:grant><D:privilege><D:all\/>/,
    );
  });

  it('an unknown principal is 404', async () => {
    const res = await davFetch(server.url, 'alice')('/dav/principals/users/nobody/', {
      method: 'PROPFIND',
      headers: { Depth: '0' },
    });
    assert.equal(res.status, 404);
  });

  it('OPTIONS advertises the compliance classes and access-control', async () => {
    const res = await davFetch(server.url, 'alice')('/dav/files/alice/', { method: 'OPTIONS' });
    assert.equal(res.status, 200);
    const dav = res.headers.get('dav') ?? '';
    for (const c of ['1', '2', '3', 'access-control', 'extended-mkcol'])
      assert.ok(dav.split(/,\s*/).includes(c), `${c} in ${dav}`);
    assert.match(res.headers.get('allow') ?? '', /PROPFIND/);
  });
});
