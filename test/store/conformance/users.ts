/** Store conformance cases: users. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, rejectsWith, byteOrder, HOME, store, alice, home, tx, put, mkcol, get, lock } from './fixture.js';

export function userCases(): void {
  describe('users', () => {
    it('users: createUser returns the stored user, found by name and by id', async () => {
      const before = Date.now();
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'h-b' }));
      assert.equal(bob.name, 'bob');
      assert.equal(bob.passwordHash, 'h-b');
      assert.equal(bob.email, null);
      assert.equal(bob.displayName, null);
      assert.ok(bob.createdAt >= before && bob.createdAt <= Date.now());
      assert.notEqual(bob.id, alice.id);
      assert.deepEqual(await store.getUserByName('bob'), bob);
      assert.deepEqual(await store.getUserById(bob.id), bob);
      assert.deepEqual(await store.getUserByName('alice'), alice);
      assert.equal(alice.email, 'alice@example.org');
      assert.equal(alice.displayName, 'Alice');
      assert.equal(await store.getUserByName('nobody'), null);
      assert.equal(await store.getUserById(987654), null);
    });

    it("users: a duplicate name is StoreError 'exists' and names are case-sensitive", async () => {
      await rejectsWith(
        tx((t) => t.createUser({ name: 'alice', passwordHash: 'x' })),
        'exists',
      );
      const upper = await tx((t) => t.createUser({ name: 'Alice', passwordHash: 'x' }));
      assert.notEqual(upper.id, alice.id);
      assert.equal((await store.getUserByName('alice'))?.id, alice.id);
    });

    it('users: listUsers lists every user ordered by name in byte order, the same on every backend', async () => {
      const names = ['zed', 'Bob', 'alice', 'émile', 'Zoë', 'bob'];
      await tx(async (t) => {
        for (const n of names) if (n !== 'alice') await t.createUser({ name: n, passwordHash: 'x' });
      });
      const listed = (await store.listUsers()).map((u) => u.name);
      assert.deepEqual(listed, [...names].sort(byteOrder));
    });

    it('users: getUsersByEmails finds users by e-mail whatever the case, each once', async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'h', email: 'Bob@Example.COM' }));
      await tx((t) => t.createUser({ name: 'carol', passwordHash: 'h', email: null }));
      assert.deepEqual(
        (await store.getUsersByEmails(['bob@example.com', 'BOB@example.com', 'nobody@example.com'])).map((u) => u.id),
        [bob.id],
      );
      assert.deepEqual(await store.getUsersByEmails([]), []);
    });

    it('users: updateUser changes only the given fields; null clears', async () => {
      await tx((t) => t.updateUser(alice.id, { passwordHash: 'new-hash' }));
      let u = await store.getUserById(alice.id);
      assert.deepEqual(u, { ...alice, passwordHash: 'new-hash' });
      await tx((t) => t.updateUser(alice.id, { email: null, displayName: 'Alice Ü' }));
      u = await store.getUserById(alice.id);
      assert.deepEqual(u, { ...alice, passwordHash: 'new-hash', email: null, displayName: 'Alice Ü' });
    });

    it('users: deleteUser removes the user, their resources, properties, changes and locks; others stay', async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'x' }));
      const bobHome = await tx((t) => t.createCollection('/files/bob', { ownerId: bob.id, home: true }));
      const cal = await mkcol(`${HOME}/cal`);
      const obj = (await put(`${HOME}/cal/e.ics`, 'BEGIN:VCALENDAR')).resource;
      await tx((t) => t.patchProperties(obj.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []));
      const bobsLockOnAlice = lock(`${HOME}/cal/e.ics`, { principalId: bob.id });
      const alicesLockOnBob = lock('/files/bob', { principalId: alice.id });
      await tx(async (t) => {
        await t.createLock(bobsLockOnAlice);
        await t.createLock(alicesLockOnBob);
      });
      const bobObj = (
        await tx((t) =>
          t.putObject('/files/bob/b.txt', {
            ownerId: bob.id,
            body: bytes('b'),
            contentType: null,
            etag: '"b"',
          }),
        )
      ).resource;

      await tx((t) => t.deleteUser(alice.id));

      assert.equal(await store.getUserById(alice.id), null);
      assert.equal(await store.getUserByName('alice'), null);
      assert.deepEqual(
        (await store.listUsers()).map((u) => u.name),
        ['bob'],
      );
      for (const id of [home.id, cal.id, obj.id]) assert.equal(await store.getResourceById(id), null);
      assert.equal(await store.getResource(HOME), null);
      assert.deepEqual(await store.listDescendants(HOME), []);
      assert.deepEqual(await store.getProperties(obj.id), []);
      assert.deepEqual(await store.changesSince(home.id, 0, 100), []);
      assert.deepEqual(await store.changesSince(cal.id, 0, 100), []);
      const now = Date.now();
      assert.equal(await store.getLock(alicesLockOnBob.token, now), null, 'locks the user held are gone');
      assert.equal(await store.getLock(bobsLockOnAlice.token, now), null, "locks on the user's resources are gone");
      assert.deepEqual(await store.locksWithin(HOME, now), []);
      assert.ok(await store.getResourceById(bobHome.id));
      assert.ok(await store.getResourceById(bobObj.id));
      assert.equal((await store.getUserById(bob.id))?.name, 'bob');
    });

    it("users: deleteUser records a delete in the feed of another user's collection holding their object (DESIGN: one change feed)", async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'x' }));
      const shared = await tx(async (t) => {
        await t.createCollection('/files/bob', { ownerId: bob.id, home: true });
        return t.createCollection('/files/bob/shared', { ownerId: bob.id });
      });
      await tx((t) =>
        t.putObject('/files/bob/shared/from-alice.txt', {
          ownerId: alice.id,
          body: bytes('hi'),
          contentType: null,
          etag: '"1"',
        }),
      );
      await tx((t) => t.deleteUser(alice.id));
      assert.equal(await store.getResource('/files/bob/shared/from-alice.txt'), null);
      const feed = await store.changesSince(shared.id, 0, 100);
      assert.deepEqual(
        feed.map((c) => [c.seq, c.name, c.op]),
        [
          [1, 'from-alice.txt', 'put'],
          [2, 'from-alice.txt', 'delete'],
        ],
      );
      assert.equal((await get('/files/bob/shared')).syncSeq, 2);
    });

    it('users: the system account (owner of server-wide collections) is made once and no users query returns it', async () => {
      const before = (await store.storeStats()).users;
      const id = await tx((t) => t.systemAccountId());
      assert.equal(await tx((t) => t.systemAccountId()), id);
      assert.notEqual(id, alice.id);
      assert.equal(await store.getUserById(id), null);
      assert.equal(await store.getUserByName('__system__'), null);
      assert.ok(!(await store.listUsers()).some((u) => u.id === id));
      assert.equal((await store.storeStats()).users, before);
      // It owns collections like any user; deleting it is no one's business (no query names it).
      const c = await tx((t) => t.createCollection('/addressbooks/__directory__', { ownerId: id, home: true }));
      assert.equal(c.ownerId, id);
      // A user may still be made whatever the names: the account's name is not a user name.
      await tx((t) => t.createUser({ name: 'system', passwordHash: 'x' }));
      assert.deepEqual(
        (await store.listUsers()).map((u) => u.name),
        ['alice', 'system'],
      );
    });
  });
}
