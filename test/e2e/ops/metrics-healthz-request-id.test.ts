/**
 * `/metrics` and `/healthz` (issue #19): Prometheus text with request counts by method and
 * status, latency, caches, store sizes and queues; served to loopback only unless the bearer
 * token is given (a request that came through a proxy, X-Forwarded-For, is not loopback);
 * labels stay bounded (an unknown method is OTHER, paths are never labels). X-Request-Id on
 * every answer: kept from a trusted proxy, replaced when anyone else sends one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const TOKEN = 'metrics-token-0123456789';
let direct: TestServer;
let proxied: TestServer;

before(async () => {
  direct = await startTestServer({ config: { metricsToken: TOKEN } });
  // The same loopback peer, now named a trusted proxy.
  proxied = await startTestServer({ users: {}, config: { trustedProxies: ['127.0.0.1'] } });
});
after(async () => {
  await direct.close();
  await proxied.close();
});

const get = (s: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(new URL(path, s.url), { method, headers });

describe('/metrics and /healthz', () => {
  it('/healthz answers ok to anyone, unauthenticated, never cached', async () => {
    const r = await get(direct, '/healthz', { 'X-Forwarded-For': '203.0.113.5' });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'ok\n');
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal((await get(direct, '/healthz', {}, 'POST')).status, 405);
  });

  it('counts requests by method and status, with a latency histogram, caches, store and queues', async () => {
    const alice = davFetch(direct.url, 'alice');
    assert.equal((await alice('/dav/calendars/alice/', { method: 'PROPFIND', headers: { Depth: '1' } })).status, 207);
    assert.equal((await alice('/dav/calendars/alice/nothing-here.ics')).status, 404);
    assert.equal((await alice('/dav/calendars/alice/', { method: 'CHECKOUT' })).status >= 400, true);
    const r = await get(direct, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    assert.match(text, /^almanac_http_requests_total\{method="PROPFIND",status="207"\} 1$/m);
    assert.match(text, /^almanac_http_requests_total\{method="GET",status="404"\} 1$/m);
    assert.match(text, /^almanac_http_requests_total\{method="OTHER",status="\d{3}"\} 1$/m, 'CHECKOUT is OTHER');
    assert.match(text, /^almanac_http_request_duration_seconds_bucket\{method="PROPFIND",le="\+Inf"\} 1$/m);
    assert.match(text, /^almanac_http_request_duration_seconds_count\{method="PROPFIND"\} 1$/m);
    assert.match(text, /^almanac_cache_hits_total\{cache="answers"\} \d+$/m);
    assert.match(text, /^almanac_store_users 2$/m);
    assert.match(text, /^almanac_itip_queue_waiting 0$/m);
    assert.match(text, /^almanac_syncml_sessions 0$/m);
    assert.match(text, /^almanac_push_subscribers 0$/m);
    assert.doesNotMatch(text, /calendars\/alice/, 'no path is a label');
    // Every sample line is `name{labels} value` or `name value` (the text format, version 0.0.4).
    for (const line of text
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('#')))
      assert.match(line, /^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$/, line);
  });

  it('is refused through a proxy or from elsewhere without the token, and served with it', async () => {
    assert.equal((await get(direct, '/metrics', { 'X-Forwarded-For': '203.0.113.5' })).status, 403);
    assert.equal((await get(direct, '/metrics', { Forwarded: 'for=203.0.113.5' })).status, 403);
    const wrong = { 'X-Forwarded-For': '203.0.113.5', Authorization: `Bearer ${TOKEN}x` };
    assert.equal((await get(direct, '/metrics', wrong)).status, 403);
    const right = { 'X-Forwarded-For': '203.0.113.5', Authorization: `Bearer ${TOKEN}` };
    assert.equal((await get(direct, '/metrics', right)).status, 200);
    assert.equal((await get(proxied, '/metrics', { 'X-Forwarded-For': '203.0.113.5' })).status, 403, 'no token set');
  });
});

describe('X-Request-Id', () => {
  it('every answer carries a fresh id; one sent by a client that is not a trusted proxy is replaced', async () => {
    const a = (await get(direct, '/healthz')).headers.get('x-request-id') ?? '';
    const b = (await get(direct, '/nowhere')).headers.get('x-request-id') ?? '';
    assert.match(a, /^[0-9a-f-]{36}$/);
    assert.notEqual(a, b);
    const forged = await get(direct, '/healthz', { 'X-Request-Id': 'chosen-by-client' });
    assert.notEqual(forged.headers.get('x-request-id'), 'chosen-by-client');
  });

  it('the id a trusted proxy sends is kept (when it is a plain token); a malformed one is replaced', async () => {
    const kept = await get(proxied, '/healthz', {
      'X-Request-Id': 'nginx-4f2a9c01',
      'X-Forwarded-For': '198.51.100.2',
    });
    assert.equal(kept.headers.get('x-request-id'), 'nginx-4f2a9c01');
    const odd = await get(proxied, '/healthz', { 'X-Request-Id': 'has space"quote' });
    assert.match(odd.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});
