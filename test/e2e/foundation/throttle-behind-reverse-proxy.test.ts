/**
 * Behind a TLS-terminating reverse proxy every client reaches Almanac from the proxy's address.
 * With `--trusted-proxies` naming the proxy, the throttle (domain/throttle.ts) counts each client
 * by the address the proxy forwarded for (X-Forwarded-For), so one client's failures do not make
 * everyone behind the proxy wait; without it, or from any other peer, the header is not believed.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { basic, startTestServer, type TestServer } from '../../helpers/server.js';

/** A PROPFIND from a chosen loopback source address (127.0.0.0/8 is all this host). */
function propfind(url: string, source: string, auth: string, forwardedFor?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: auth, Depth: '0' };
    if (forwardedFor !== undefined) headers['X-Forwarded-For'] = forwardedFor;
    const req = request(`${url}/dav/files/alice/`, { method: 'PROPFIND', headers, localAddress: source }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const PROXY = '127.0.0.2';
const THROTTLE = { accountFreeFailures: 100, addressFreeFailures: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 };
/** A guess at a different account each time, so only the address count grows. */
const guess = (i: number): string => basic(`nobody${i}`, 'guess');

describe('brute-force throttle behind a reverse proxy (--trusted-proxies, X-Forwarded-For)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { authThrottle: THROTTLE, trustedProxies: [PROXY] } });
  });
  after(async () => server.close());

  it('two clients behind the trusted proxy have separate address counts: the attacker waits, alice does not', async () => {
    for (let i = 0; i < THROTTLE.addressFreeFailures; i++)
      assert.equal(await propfind(server.url, PROXY, guess(i), '198.51.100.66'), 401);
    assert.equal(
      await propfind(server.url, PROXY, guess(99), '198.51.100.66'),
      429,
      'the attacker has used up its free failures',
    );
    assert.equal(
      await propfind(server.url, PROXY, basic('alice', 'alice-pw'), '203.0.113.5'),
      207,
      'alice behind the same proxy is not held',
    );
    const counted = await server.store.getAuthFailures(['addr:198.51.100.66', 'addr:203.0.113.5', `addr:${PROXY}`]);
    assert.deepEqual(
      counted.map((c) => [c.subject, c.failures]),
      [['addr:198.51.100.66', THROTTLE.addressFreeFailures]],
    );
  });

  it('a client that is not the proxy cannot name its address: X-Forwarded-For from it is ignored', async () => {
    for (let i = 0; i < THROTTLE.addressFreeFailures; i++) {
      assert.equal(await propfind(server.url, '127.0.0.5', guess(i), `192.0.2.${i + 1}`), 401);
    }
    assert.equal(
      await propfind(server.url, '127.0.0.5', guess(99), '192.0.2.200'),
      429,
      'a new forged address per guess does not escape the count',
    );
    const counted = await server.store.getAuthFailures(['addr:127.0.0.5', 'addr:192.0.2.1']);
    assert.deepEqual(
      counted.map((c) => [c.subject, c.failures]),
      [['addr:127.0.0.5', THROTTLE.addressFreeFailures]],
    );
  });
});

describe('without --trusted-proxies X-Forwarded-For is never believed', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { authThrottle: THROTTLE } });
  });
  after(async () => server.close());

  it('a forged X-Forwarded-For is ignored: the TCP peer is counted', async () => {
    for (let i = 0; i < THROTTLE.addressFreeFailures; i++)
      assert.equal(await propfind(server.url, PROXY, guess(i), `192.0.2.${i + 1}`), 401);
    assert.equal(await propfind(server.url, PROXY, guess(99), '192.0.2.99'), 429);
    const counted = await server.store.getAuthFailures([`addr:${PROXY}`, 'addr:192.0.2.1']);
    assert.deepEqual(
      counted.map((c) => [c.subject, c.failures]),
      [[`addr:${PROXY}`, THROTTLE.addressFreeFailures]],
    );
  });
});
