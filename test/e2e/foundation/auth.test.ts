import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basic, startTestServer, type TestServer } from '../../helpers/server.js';

async function timed(url: string, auth: string): Promise<{ status: number; ms: number; www: string | null }> {
  const t = performance.now();
  const res = await fetch(url, { method: 'PROPFIND', headers: { Authorization: auth, Depth: '0' } });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t, www: res.headers.get('www-authenticate') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

describe('HTTP Basic authentication (RFC 7617)', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer();
    url = `${server.url}/dav/files/alice/`;
  });
  after(async () => server.close());

  it('no credentials: 401 with a Basic challenge', async () => {
    const res = await fetch(url, { method: 'PROPFIND', headers: { Depth: '0' } });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="Almanac"/);
  });

  it('the right password: access', async () => {
    assert.equal((await timed(url, basic('alice', 'alice-pw'))).status, 207);
  });

  it('wrong password and unknown user: both 401 with a challenge, in about the same time', async () => {
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await timed(url, basic('alice', `wrong-${i}`));
      const b = await timed(url, basic(`nobody${i}`, 'whatever'));
      assert.equal(a.status, 401);
      assert.equal(b.status, 401);
      assert.ok(a.www && b.www);
      wrong.push(a.ms);
      unknown.push(b.ms);
    }
    const ratio = median(unknown) / median(wrong);
    assert.ok(ratio > 0.5 && ratio < 2, `unknown user took ${median(unknown)} ms, wrong password ${median(wrong)} ms`);
  });

  it('malformed Authorization headers are a 401, not a crash', async () => {
    for (const h of ['Basic', 'Basic !!!', 'Bearer x', `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
      const res = await fetch(url, { method: 'PROPFIND', headers: { Authorization: h } });
      assert.equal(res.status, 401, h);
    }
  });
});
