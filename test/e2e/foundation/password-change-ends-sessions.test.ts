import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ALMANAC } from '../../helpers/cli-server.js';
import { basic, startTestServer, type TestServer } from '../../helpers/server.js';

const run = promisify(execFile);

/** `almanac ARGS` against the test server's data directory, with `input` on stdin. */
async function almanac(args: string[], input = ''): Promise<void> {
  const child = run(process.execPath, [ALMANAC, ...args], { timeout: 60_000 });
  child.child.stdin?.end(input);
  await child;
}

async function login(
  base: string,
  user: string,
  password: string,
): Promise<{ Cookie: string; 'X-Almanac-CSRF': string }> {
  const res = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  assert.equal(res.status, 200);
  const csrf = ((await res.json()) as { csrf: string }).csrf;
  return { Cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, 'X-Almanac-CSRF': csrf };
}

describe('a password change or deleting the user ends every web session and cached credential of that user', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
  });
  after(async () => server.close());

  it('`almanac user passwd`: the old session is refused for /app and /dav, the old password too; the new one works', async () => {
    const session = await login(server.url, 'alice', 'alice-pw');
    const other = await login(server.url, 'bob', 'bob-pw');
    assert.equal((await fetch(`${server.url}/app/session`, { headers: session })).status, 200);
    // The right Basic credential is now verified and cached by the server.
    assert.equal(
      (
        await fetch(`${server.url}/dav/files/alice/`, {
          method: 'PROPFIND',
          headers: { Authorization: basic('alice', 'alice-pw'), Depth: '0' },
        })
      ).status,
      207,
    );

    await almanac(['user', 'passwd', 'alice', '--password-stdin', '--data', server.dataDir], 'new-secret\n');

    assert.equal((await fetch(`${server.url}/app/session`, { headers: session })).status, 401, 'the web session ended');
    assert.equal(
      (await fetch(`${server.url}/dav/files/alice/`, { method: 'PROPFIND', headers: { ...session, Depth: '0' } }))
        .status,
      401,
      'the cookie no longer opens /dav',
    );
    assert.equal(
      (
        await fetch(`${server.url}/dav/files/alice/`, {
          method: 'PROPFIND',
          headers: { Authorization: basic('alice', 'alice-pw'), Depth: '0' },
        })
      ).status,
      401,
      'the cached old credential is void',
    );
    assert.equal(
      (
        await fetch(`${server.url}/dav/files/alice/`, {
          method: 'PROPFIND',
          headers: { Authorization: basic('alice', 'new-secret'), Depth: '0' },
        })
      ).status,
      207,
    );
    assert.equal(
      (await fetch(`${server.url}/app/session`, { headers: other })).status,
      200,
      "another user's session lives on",
    );
  });

  it('`almanac user delete`: the session of the deleted user ends', async () => {
    const session = await login(server.url, 'carol', 'carol-pw');
    await almanac(['user', 'delete', 'carol', '--data', server.dataDir]);
    assert.equal((await fetch(`${server.url}/app/session`, { headers: session })).status, 401);
  });
});
