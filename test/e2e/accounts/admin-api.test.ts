/**
 * The admin API behind the web app's Admin section (issue #19 item 6): session cookie and CSRF
 * as every /app API, 403 for a user who is not an admin (checked on every request: taking the
 * flag away takes effect at once), users, quotas, devices and groups, and the last admin kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppPassword } from '../../../src/domain/accounts/app-passwords.js';
import { setAdmin } from '../../../src/domain/accounts/admin.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { appCall, login, propfindHome, type SessionHeaders } from './app-api.js';

let s: TestServer;
let root: SessionHeaders;
before(async () => {
  s = await startTestServer();
  await setAdmin(s.store, 'alice', true);
  root = await login(s.url, 'alice', 'alice-pw');
});
after(() => s.close());

type Overview = {
  users: { name: string; admin: boolean; quota: number | null; limit: number | null; used: number }[];
  groups: { name: string; members: string[] }[];
  defaultQuota: number | null;
};

describe('admin API (/app/admin)', () => {
  it('401 without a session, 403 for a change without the CSRF header, 403 for a user who is not an admin', async () => {
    assert.equal((await fetch(`${s.url}/app/admin`)).status, 401);
    const noCsrf = await fetch(`${s.url}/app/admin/groups`, {
      method: 'POST',
      headers: { Cookie: root.Cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'sneaky' }),
    });
    assert.equal(noCsrf.status, 403, 'a change needs the CSRF header');
    const bob = await login(s.url, 'bob', 'bob-pw');
    assert.equal((await appCall(s.url, bob, 'GET', '/app/admin')).status, 403);
    assert.equal((await appCall(s.url, bob, 'POST', '/app/admin/users', { name: 'eve', password: 'x' })).status, 403);
    const session = await appCall<{ admin: boolean }>(s.url, bob, 'GET', '/app/session');
    assert.equal(session.body.admin, false);
  });

  it('lists users with admin flag and storage use; creates a user (password shown once) who can use DAV', async () => {
    const o = await appCall<Overview>(s.url, root, 'GET', '/app/admin');
    assert.equal(o.status, 200);
    assert.deepEqual(
      o.body.users.map((u) => [u.name, u.admin]),
      [
        ['alice', true],
        ['bob', false],
      ],
    );
    assert.ok(o.body.users.every((u) => u.used > 0));
    const made = await appCall<{ password: string }>(s.url, root, 'POST', '/app/admin/users', {
      name: 'carol',
      displayName: 'Carol',
    });
    assert.equal(made.status, 201);
    assert.equal((await propfindHome(s.url, 'carol', made.body.password)).status, 207);
    assert.equal(
      (await appCall(s.url, root, 'POST', '/app/admin/users', { name: 'carol', password: 'x' })).status,
      409,
    );
    assert.equal(
      (await appCall(s.url, root, 'POST', '/app/admin/users/carol/password', { password: 'new-pw' })).status,
      200,
    );
    assert.equal((await propfindHome(s.url, 'carol', 'new-pw')).status, 207);
  });

  it('sets quotas (bytes or text) and the default; a bad quota is 400', async () => {
    const set = await appCall<{ quota: number; limit: number }>(s.url, root, 'PATCH', '/app/admin/users/bob', {
      quota: '2K',
    });
    assert.equal(set.status, 200);
    assert.deepEqual([set.body.quota, set.body.limit], [2048, 2048]);
    assert.equal((await appCall(s.url, root, 'PATCH', '/app/admin/users/bob', { quota: 'lots' })).status, 400);
    assert.equal((await appCall(s.url, root, 'PUT', '/app/admin/default-quota', { quota: 1_000_000 })).status, 200);
    const o = await appCall<Overview>(s.url, root, 'GET', '/app/admin');
    assert.equal(o.body.defaultQuota, 1_000_000);
    assert.equal(o.body.users.find((u) => u.name === 'alice')?.limit, 1_000_000);
    await appCall(s.url, root, 'PUT', '/app/admin/default-quota', { quota: null });
    await appCall(s.url, root, 'PATCH', '/app/admin/users/bob', { quota: null });
  });

  it("lists a user's devices and revokes an app password (refused on the next DAV request)", async () => {
    const bob = (await s.store.getUserByName('bob'))!;
    const made = await s.store.transaction([`app-passwords:${bob.id}`], (tx) =>
      createAppPassword(tx, { userId: bob.id, name: 'Phone', scopes: ['dav'] }),
    );
    assert.equal((await propfindHome(s.url, 'bob', made.password)).status, 207);
    const d = await appCall<{ appPasswords: { id: string; name: string }[]; syncml: unknown[]; push: unknown[] }>(
      s.url,
      root,
      'GET',
      '/app/admin/users/bob/devices',
    );
    assert.deepEqual(
      d.body.appPasswords.map((p) => p.name),
      ['Phone'],
    );
    assert.deepEqual([d.body.syncml, d.body.push], [[], []]);
    assert.equal(
      (await appCall(s.url, root, 'DELETE', `/app/admin/users/bob/app-passwords/${made.appPassword.id}`)).status,
      200,
    );
    assert.equal((await propfindHome(s.url, 'bob', made.password)).status, 401);
    assert.equal((await appCall(s.url, root, 'DELETE', '/app/admin/users/bob/push/nope')).status, 404);
  });

  it('groups: create, add and remove members, delete', async () => {
    assert.equal((await appCall(s.url, root, 'POST', '/app/admin/groups', { name: 'team' })).status, 201);
    assert.equal((await appCall(s.url, root, 'PUT', '/app/admin/groups/team/members/bob')).status, 200);
    let o = await appCall<Overview>(s.url, root, 'GET', '/app/admin');
    assert.deepEqual(o.body.groups, [{ name: 'team', members: ['bob'] }]);
    assert.equal((await appCall(s.url, root, 'PUT', '/app/admin/groups/team/members/nobody')).status, 404);
    assert.equal((await appCall(s.url, root, 'DELETE', '/app/admin/groups/team/members/bob')).status, 200);
    assert.equal((await appCall(s.url, root, 'DELETE', '/app/admin/groups/team')).status, 200);
    o = await appCall<Overview>(s.url, root, 'GET', '/app/admin');
    assert.deepEqual(o.body.groups, []);
  });

  it('the last admin cannot be unmade or deleted (409); making another admin and dropping the flag takes effect at once', async () => {
    assert.equal((await appCall(s.url, root, 'PATCH', '/app/admin/users/alice', { admin: false })).status, 409);
    assert.equal((await appCall(s.url, root, 'DELETE', '/app/admin/users/alice')).status, 409);
    assert.equal((await appCall(s.url, root, 'PATCH', '/app/admin/users/bob', { admin: true })).status, 200);
    const bob = await login(s.url, 'bob', 'bob-pw');
    assert.equal((await appCall(s.url, bob, 'PATCH', '/app/admin/users/alice', { admin: false })).status, 200);
    assert.equal((await appCall(s.url, root, 'GET', '/app/admin')).status, 403, 'the same session, no longer an admin');
    assert.equal((await appCall(s.url, bob, 'DELETE', '/app/admin/users/carol')).status, 200);
    assert.equal((await propfindHome(s.url, 'carol', 'new-pw')).status, 401);
  });
});
