/**
 * App passwords per device (issue #19): made in the web app or the CLI, shown once, scoped to DAV
 * and/or SyncML, last use noted, revoked with effect on the very next request — also on another
 * node that had just verified (and remembered) the password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ALMANAC } from '../../helpers/cli-server.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { startTwoPostgresNodes, type TwoNodes } from '../../helpers/two-nodes.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { appCall, login, propfindHome, type SessionHeaders } from './app-api.js';

/** `almanac ARGS` without blocking the event loop (the server under test runs in this process). */
async function almanac(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [ALMANAC, ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface Made {
  id: string;
  name: string;
  scopes: string[];
  password: string;
  lastUsedAt: number | null;
}

describe('app passwords: made in the web app, used by DAV clients, revoked at once', () => {
  let server: TestServer;
  let session: SessionHeaders;
  before(async () => {
    server = await startTestServer({
      config: { authThrottle: { accountFreeFailures: 100, addressFreeFailures: 100 } },
    });
    session = await login(server.url, 'alice', 'alice-pw');
  });
  after(async () => server.close());

  it('POST /app/app-passwords shows the password once; GET /app/account lists it without it', async () => {
    const made = await appCall<Made>(server.url, session, 'POST', '/app/app-passwords', {
      name: 'Phone',
      scopes: ['dav'],
    });
    assert.equal(made.status, 201);
    assert.match(made.body.password, /^[a-z2-9]{6}(-[a-z2-9]{6}){4}$/);
    assert.deepEqual(made.body.scopes, ['dav']);
    const account = await appCall<{ appPasswords: Record<string, unknown>[] }>(
      server.url,
      session,
      'GET',
      '/app/account',
    );
    assert.equal(account.body.appPasswords.length, 1);
    assert.equal(account.body.appPasswords[0]?.name, 'Phone');
    assert.equal(account.body.appPasswords[0]?.password, undefined, 'never shown again');
    const row = await server.store.getAppPassword(made.body.id);
    assert.ok(row && !row.secretHash.includes(made.body.password.replace(/-/g, '')), 'stored hashed (scrypt)');
    assert.match(row.secretHash, /^scrypt\$/);
  });

  it('a DAV client logs in with it (dashes and case do not matter); the last use is noted', async () => {
    const made = await appCall<Made>(server.url, session, 'POST', '/app/app-passwords', {
      name: 'Laptop',
      scopes: ['dav'],
    });
    assert.equal((await propfindHome(server.url, 'alice', made.body.password)).status, 207);
    const compact = made.body.password.replace(/-/g, '').toUpperCase();
    assert.equal((await propfindHome(server.url, 'alice', compact)).status, 207);
    const row = await server.store.getAppPassword(made.body.id);
    assert.ok(row?.lastUsedAt && Date.now() - row.lastUsedAt < 60_000, 'last used just now');
    assert.equal((await propfindHome(server.url, 'bob', made.body.password)).status, 401, "not bob's password");
  });

  it('the scope is enforced: a SyncML-only app password does not open DAV', async () => {
    const made = await appCall<Made>(server.url, session, 'POST', '/app/app-passwords', {
      name: 'Old phone',
      scopes: ['syncml'],
    });
    assert.equal((await propfindHome(server.url, 'alice', made.body.password)).status, 401);
  });

  it('DELETE /app/app-passwords/ID: the next request with it is 401, though it was just verified', async () => {
    const made = await appCall<Made>(server.url, session, 'POST', '/app/app-passwords', {
      name: 'Tablet',
      scopes: ['dav'],
    });
    assert.equal((await propfindHome(server.url, 'alice', made.body.password)).status, 207);
    assert.equal((await appCall(server.url, session, 'DELETE', `/app/app-passwords/${made.body.id}`)).status, 200);
    assert.equal((await propfindHome(server.url, 'alice', made.body.password)).status, 401);
    assert.equal((await appCall(server.url, session, 'DELETE', `/app/app-passwords/${made.body.id}`)).status, 404);
  });

  it('an app password does not log in to the web app', async () => {
    const made = await appCall<Made>(server.url, session, 'POST', '/app/app-passwords', {
      name: 'Web?',
      scopes: ['dav'],
    });
    const res = await fetch(`${server.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'alice', password: made.body.password }),
    });
    assert.equal(res.status, 401);
  });

  it('almanac app-password add | list | revoke', async () => {
    const data = ['--data', server.dataDir];
    const add = await almanac(['app-password', 'add', 'bob', 'Thunderbird', '--scope', 'dav', ...data]);
    assert.equal(add.code, 0, add.stderr);
    const m = /App password (\w+) "Thunderbird" for bob \(dav\): (\S+)/.exec(add.stdout);
    assert.ok(m?.[1] && m[2], add.stdout);
    assert.equal((await propfindHome(server.url, 'bob', m[2])).status, 207);
    const list = await almanac(['app-password', 'list', 'bob', ...data]);
    assert.match(list.stdout, new RegExp(`${m[1]}\\s+Thunderbird\\s+dav\\s+\\S+\\s+20\\d\\d-`), 'last use shown');
    const revoke = await almanac(['app-password', 'revoke', 'bob', m[1], ...data]);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal((await propfindHome(server.url, 'bob', m[2])).status, 401);
  });
});

describe('app passwords on two nodes of one PostgreSQL database', async () => {
  const skip = await postgresSkipReason();
  let nodes: TwoNodes | undefined;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    if (skip) return;
    nodes = await startTwoPostgresNodes();
    ({ a, b } = nodes);
  });
  after(async () => nodes?.close());

  it('made on node A, used on node B, revoked on A: B refuses the next request', { skip }, async () => {
    const session = await login(a.url, 'alice', 'alice-pw');
    const made = await appCall<Made>(a.url, session, 'POST', '/app/app-passwords', { name: 'Phone', scopes: ['dav'] });
    assert.equal((await propfindHome(b.url, 'alice', made.body.password)).status, 207);
    assert.equal((await propfindHome(b.url, 'alice', made.body.password)).status, 207, 'remembered by B');
    assert.equal((await appCall(a.url, session, 'DELETE', `/app/app-passwords/${made.body.id}`)).status, 200);
    assert.equal((await propfindHome(b.url, 'alice', made.body.password)).status, 401);
  });
});
