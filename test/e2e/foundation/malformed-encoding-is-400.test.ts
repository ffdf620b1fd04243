import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basic, startTestServer, type TestServer } from '../../helpers/server.js';

/** A truncated UTF-8 escape: `%E0%A4` needs a third byte, `%A` is not an escape at all. */
const BROKEN = '%E0%A4%A';

async function answer(res: Response): Promise<{ status: number; body: string }> {
  return { status: res.status, body: await res.text() };
}

describe('malformed percent-encoding and odd Origin values are a 400/403 with one clear line, never a 500', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it('a malformed percent-encoded path (RFC 3986 §2.1) is 400 under /dav, /app, /relay and for static files', async () => {
    for (const path of [
      `/dav/files/alice/${BROKEN}`,
      `/app/${BROKEN}`,
      `/relay/abc/${BROKEN}`,
      `/${BROKEN}`,
      `/assets/${BROKEN}.js`,
    ]) {
      const { status, body } = await answer(
        await fetch(server.url + path, { headers: { Authorization: basic('alice', 'alice-pw') } }),
      );
      assert.equal(status, 400, path);
      assert.match(body, /malformed percent-encoding in path/, path);
    }
  });

  it('a malformed percent-encoded session cookie (RFC 6265 §4.2.1) is 400, for the app and for /dav', async () => {
    const cookie = `almanac_session=${BROKEN}`;
    const session = await answer(await fetch(`${server.url}/app/session`, { headers: { cookie } }));
    assert.equal(session.status, 400);
    assert.match(session.body, /malformed percent-encoding in cookie/);
    const dav = await answer(
      await fetch(`${server.url}/dav/files/alice/`, {
        method: 'PROPFIND',
        headers: { cookie, Depth: '0', 'X-Almanac-CSRF': 'x' },
      }),
    );
    assert.equal(dav.status, 400);
    assert.match(dav.body, /malformed percent-encoding in cookie/);
  });

  it('login with `Origin: null` (an opaque origin, RFC 6454 §7.3) is refused with 403, not a 500', async () => {
    for (const origin of ['null', 'not a url', '']) {
      const res = await fetch(`${server.url}/app/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
      });
      assert.equal(res.status, 403, `Origin: ${origin}`);
      assert.match(await res.text(), /cross-origin login refused/);
    }
  });
});
