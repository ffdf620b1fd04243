// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { basic, startTestServer, type TestServer } from '../../helpers/server.js';
import { alert, basicCred, message, post, statuses } from '../../syncml/http-client.js';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: string;
  ms: number;
}

/** One request from a chosen loopback source address (127.0.0.0/8 is all this host). */
function from(
  source: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, localAddress: source }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'] ?? null,
          body,
          ms: performance.now() - started,
        }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const THROTTLE = { accountFreeFailures: 3, addressFreeFailures: 6, baseDelayMs: 1_500, maxDelayMs: 3_000 };

describe('brute-force throttling of password guesses, per account and per source address, shared through the store (RFC 6585 §4)', () => {
  let server: TestServer;
  const propfind = (source: string, user: string, password: string): Promise<Answer> =>
    from(source, `${server.url}/dav/files/${user}/`, {
      method: 'PROPFIND',
      headers: { Authorization: basic(user, password), Depth: '0' },
    });
  const webLogin = (source: string, user: string, password: string): Promise<Answer> =>
    from(source, `${server.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user, password }),
    });

  before(async () => {
    server = await startTestServer({
      users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', dave: 'dave-pw' },
      config: { authThrottle: THROTTLE },
    });
  });
  after(async () => server.close());

  it('Basic: after the free failures the account answers 429 with Retry-After, without checking the password, even a right one', async () => {
    // alice logs in to the web app from 127.0.0.3 first: that address is trusted for her.
    assert.equal((await webLogin('127.0.0.3', 'alice', 'alice-pw')).status, 200);
    for (let i = 0; i < THROTTLE.accountFreeFailures; i++)
      assert.equal((await propfind('127.0.0.2', 'alice', `guess-${i}`)).status, 401, `guess ${i}`);
    const refused = await propfind('127.0.0.2', 'alice', 'guess-x');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.retryAfter) >= 1, `Retry-After ${refused.retryAfter}`);
    assert.match(refused.body, /too many failed logins/);
    assert.equal(
      (await propfind('127.0.0.2', 'alice', 'alice-pw')).status,
      429,
      'the right password is not even looked at',
    );
    assert.equal(
      (await propfind('127.0.0.4', 'alice', 'alice-pw')).status,
      429,
      'nor from another address that never logged in as alice',
    );
    const counted = await server.store.getAuthFailures(['user:alice', 'addr:127.0.0.2']);
    assert.deepEqual(
      counted.map((c) => [c.subject, c.failures]),
      [
        ['addr:127.0.0.2', 3],
        ['user:alice', 3],
      ],
    );
  });

  it('the attacker does not lock alice out: from her trusted address her password is still checked and accepted', async () => {
    assert.equal((await webLogin('127.0.0.3', 'alice', 'alice-pw')).status, 200);
    assert.equal((await propfind('127.0.0.3', 'alice', 'alice-pw')).status, 207);
    assert.equal(
      (await propfind('127.0.0.3', 'alice', 'wrong')).status,
      401,
      'a wrong one from there is still wrong (and counted)',
    );
  });

  it('the wait doubles with each failure and ends: after Retry-After the right password is accepted', async () => {
    // (alice's Basic credential is remembered by now; the web login always checks the password.)
    const first = await webLogin('127.0.0.4', 'alice', 'alice-pw');
    assert.equal(first.status, 429);
    assert.ok(
      Number(first.retryAfter) >= 1 && Number(first.retryAfter) <= THROTTLE.maxDelayMs / 1000,
      `Retry-After ${first.retryAfter}`,
    );
    await sleep(Number(first.retryAfter) * 1000 + 100);
    assert.equal((await webLogin('127.0.0.4', 'alice', 'alice-pw')).status, 200);
  });

  it('per source address: guesses spread over many names are refused from that address after its free failures', async () => {
    for (let i = 0; i < THROTTLE.addressFreeFailures; i++)
      assert.equal((await propfind('127.0.0.5', `nobody${i}`, 'x')).status, 401);
    const refused = await propfind('127.0.0.5', 'bob', 'bob-pw');
    assert.equal(refused.status, 429);
    assert.ok(refused.ms < 100, `refused in ${refused.ms.toFixed(0)} ms without scrypt`);
    assert.equal((await propfind('127.0.0.6', 'bob', 'bob-pw')).status, 207, 'bob from elsewhere is not affected');
  });

  it('web login: the same throttle, answered 429 JSON with Retry-After', async () => {
    for (let i = 0; i < THROTTLE.accountFreeFailures; i++)
      assert.equal((await webLogin('127.0.0.7', 'carol', `guess-${i}`)).status, 401);
    const refused = await webLogin('127.0.0.7', 'carol', 'carol-pw');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.retryAfter) >= 1);
    assert.match((JSON.parse(refused.body) as { error: string }).error, /too many failed logins/);
    // Basic on the same account counts together with the web login (one account, one count).
    assert.equal((await propfind('127.0.0.8', 'carol', 'carol-pw')).status, 429);
  });

  it('parallel guesses are counted one by one; a client holding the verified credential is not locked out', async () => {
    assert.equal((await propfind('127.0.0.10', 'bob', 'bob-pw')).status, 207, "bob's client: verified and remembered");
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => propfind('127.0.0.9', 'bob', `parallel-${i}`)),
    );
    const checked = answers.filter((a) => a.status === 401).length;
    assert.equal(checked, THROTTLE.accountFreeFailures, answers.map((a) => a.status).join(','));
    assert.equal(
      (await propfind('127.0.0.11', 'bob', 'bob-pw')).status,
      207,
      'the remembered right credential passes, from anywhere',
    );
    assert.equal(
      (await webLogin('127.0.0.11', 'bob', 'bob-pw')).status,
      429,
      'a fresh password check from an untrusted address waits',
    );
  });

  it('SyncML: failures inside a 200 answer (Status 401) count; a throttled client gets Status 417 retry later on SyncHdr, unchecked', async () => {
    const pkg1 = (i: number, password: string) =>
      message({
        device: `IMEI:throttle-${i}`,
        sessionId: String(i),
        msgId: '1',
        cred: basicCred('dave', password),
        commands: [alert('1', 'contacts')],
      });
    for (let i = 0; i < THROTTLE.accountFreeFailures; i++)
      assert.deepEqual(statuses((await post(server.url, pkg1(i, `guess-${i}`))).msg, 'SyncHdr'), [401]);
    assert.deepEqual(statuses((await post(server.url, pkg1(10, 'guess-x'))).msg, 'SyncHdr'), [417]);
    assert.deepEqual(
      statuses((await post(server.url, pkg1(11, 'dave-pw'))).msg, 'SyncHdr'),
      [417],
      'the right password is not checked either',
    );
    // The same count as HTTP Basic and the web login: one account, one count.
    assert.equal((await propfind('127.0.0.12', 'dave', 'dave-pw')).status, 429);
  });
});
