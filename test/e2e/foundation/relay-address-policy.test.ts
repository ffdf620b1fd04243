import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../../src/http/config.js';
import { startServer } from '../../../src/http/server.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

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

async function addAccount(base: string, h: Record<string, string>, url: string): Promise<Response> {
  return fetch(`${base}/app/accounts`, {
    method: 'POST',
    headers: { ...h, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, username: 'u', password: 'p' }),
  });
}

/** This host's first non-internal IPv4 address (the tester's "own address" case), if it has one. */
function ownExternalIpv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
}

describe('the relay reaches no loopback, private or own address, however it is spelt or resolved (SSRF)', () => {
  let server: TestServer;
  let inside: Server;
  let port: number;
  let reached = 0;
  const secretKey = randomBytes(32).toString('hex');
  before(async () => {
    inside = createServer((_req, res) => {
      reached += 1;
      res.writeHead(207, { 'Content-Type': 'application/xml' });
      res.end('<multistatus xmlns="DAV:"/>');
    });
    await new Promise<void>((r) => inside.listen(0, '0.0.0.0', r));
    port = (inside.address() as AddressInfo).port;
    server = await startTestServer({ config: { secretKey } });
  });
  after(async () => {
    await server.close();
    await new Promise((r) => inside.close(r));
  });

  it('IPv4-compatible, IPv4-mapped and NAT64 spellings of 127.0.0.1 are refused (RFC 4291 §2.5.5, RFC 6052)', async () => {
    const h = await login(server.url);
    for (const host of [
      '[::127.0.0.1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[64:ff9b::127.0.0.1]',
      '[2002:7f00:1::1]',
    ]) {
      const res = await addAccount(server.url, h, `http://${host}:${port}/`);
      assert.equal(res.status, 403, host);
      assert.match(((await res.json()) as { error: string }).error, /loopback or private address/, host);
    }
  });

  it("the host's own non-loopback address is refused", async (t) => {
    const own = ownExternalIpv4();
    if (!own) return t.skip('this host has no external IPv4 address');
    const res = await addAccount(server.url, await login(server.url), `http://${own}:${port}/`);
    assert.equal(res.status, 403, own);
  });

  it('an account stored while private targets were allowed is refused at connect time once they are not (the name is judged when connecting)', async () => {
    // Node A allows private targets and stores the account; node B, on the same store and key, does not.
    const a = await startServer(server.store, {
      ...DEFAULT_CONFIG,
      port: 0,
      dataDir: server.dataDir,
      logRequests: false,
      secretKey,
      relayAllowPrivate: true,
    });
    try {
      const h = await login(a.url);
      const add = await addAccount(a.url, h, `http://localhost:${port}/`);
      assert.equal(add.status, 201);
      const id = ((await add.json()) as { id: string }).id;
      assert.equal(
        (await fetch(`${a.url}/relay/${id}/`, { method: 'PROPFIND', headers: { ...h, Depth: '0' } })).status,
        207,
      );
      const before = reached;
      const hb = await login(server.url);
      const res = await fetch(`${server.url}/relay/${id}/`, { method: 'PROPFIND', headers: { ...hb, Depth: '0' } });
      assert.equal(res.status, 403);
      assert.equal(reached, before, 'the inside server was not reached');
    } finally {
      await a.close();
    }
  });
});
