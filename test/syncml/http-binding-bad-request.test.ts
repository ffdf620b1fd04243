/**
 * SyncML HTTP binding (digest §1): the server builds the RespURI from the request URL, so a
 * Host header or request target that does not form a URL is the client's error (400), not a
 * server failure.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('digest §1: /syncml with a malformed Host header', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  function postWithHost(host: string): Promise<number | undefined> {
    const u = new URL(server.url);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          path: '/syncml',
          method: 'POST',
          headers: { Host: host, 'Content-Type': 'application/vnd.syncml+xml' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end('<SyncML xmlns="SYNCML:SYNCML1.2"/>');
    });
  }

  for (const host of ['[bad', 'a b', 'x:99999']) {
    it(`Host ${JSON.stringify(host)} → 400, not 500`, async () => {
      assert.equal(await postWithHost(host), 400);
    });
  }
});
