// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../../src/http/config.js';
import { basic, startTestServer, type TestServer } from '../../helpers/server.js';

/** Open a connection, send `first`, and resolve with how long the server keeps it open (ms) and what it said. */
function heldFor(url: string, first: string, giveUpMs: number): Promise<{ ms: number; said: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(u.port), u.hostname, () => socket.write(first));
    let said = '';
    const limit = setTimeout(() => {
      socket.destroy();
      resolve({ ms: Infinity, said });
    }, giveUpMs);
    socket.on('data', (d: Buffer) => {
      said += d.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(limit);
      resolve({ ms: performance.now() - started, said });
    });
    socket.on('error', reject);
  });
}

describe('slow clients are cut off after the configured timeouts (RFC 9112 §9.5, §9.8)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      config: { headersTimeoutMs: 600, bodyIdleTimeoutMs: 600, requestTimeoutMs: 5_000, keepAliveTimeoutMs: 600 },
    });
  });
  after(async () => server.close());

  it('the defaults are tight: headers 20 s, an idle body 30 s, keep-alive 10 s', () => {
    assert.equal(DEFAULT_CONFIG.headersTimeoutMs, 20_000);
    assert.equal(DEFAULT_CONFIG.bodyIdleTimeoutMs, 30_000);
    assert.equal(DEFAULT_CONFIG.keepAliveTimeoutMs, 10_000);
    assert.ok(DEFAULT_CONFIG.headersTimeoutMs <= DEFAULT_CONFIG.requestTimeoutMs);
  });

  it('headers that never finish: 408 and the connection closed soon after the headers timeout', async () => {
    const { ms, said } = await heldFor(
      server.url,
      'PROPFIND /dav/files/alice/ HTTP/1.1\r\nHost: x\r\nDepth: 0\r\n',
      4_000,
    );
    assert.ok(ms >= 500 && ms < 2_500, `held ${ms} ms`);
    assert.match(said, /^HTTP\/1\.1 408/);
  });

  it('a request body that stalls: the connection is cut soon after the body idle timeout', async () => {
    const head = `PUT /dav/files/alice/slow.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic('alice', 'alice-pw')}\r\nContent-Length: 100\r\n\r\nabc`;
    const { ms } = await heldFor(server.url, head, 4_000);
    assert.ok(ms >= 500 && ms < 2_500, `held ${ms} ms`);
    assert.equal(await server.store.getResource('/files/alice/slow.txt'), null, 'nothing half-written is stored');
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const { ms, said } = await heldFor(server.url, 'GET /dav/ HTTP/1.1\r\nHost: x\r\n\r\n', 4_000);
    assert.match(said, /^HTTP\/1\.1 401/);
    assert.ok(ms >= 500 && ms < 2_500, `held ${ms} ms`);
  });

  it('a body that arrives in time is not cut, and an answer that takes long after it is not cut either', async () => {
    const res = await fetch(`${server.url}/dav/files/alice/ok.txt`, {
      method: 'PUT',
      headers: { Authorization: basic('alice', 'alice-pw') },
      body: 'fine',
    });
    assert.equal(res.status, 201);
  });
});
