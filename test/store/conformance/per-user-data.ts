/** Store conformance cases: per-user calendar data (migration 19, caldav-sharing §5.5.4). Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOME, alice, get, put, store, tx } from './fixture.js';

export function perUserDataCases(): void {
  describe('per-user data (migration 19)', () => {
    const setup = async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'h' }));
      const coll = await tx((t) =>
        t.createCollection(`${HOME}/work`, { ownerId: alice.id, collectionType: 'calendar' }),
      );
      await put(`${HOME}/work/a.ics`);
      await put(`${HOME}/work/b.ics`);
      return { bob, coll, a: await get(`${HOME}/work/a.ics`), b: await get(`${HOME}/work/b.ics`) };
    };

    it('per-user data: set, replaced, read per object and per user, removed', async () => {
      const { bob, a, b } = await setup();
      await tx(async (t) => {
        await t.putPerUserData(a.id, bob.id, 'bob-a');
        await t.putPerUserData(a.id, alice.id, 'alice-a');
        await t.putPerUserData(b.id, bob.id, 'bob-b');
      });
      await tx((t) => t.putPerUserData(a.id, bob.id, 'bob-a2'));
      assert.deepEqual(
        await store.perUserDataOf(a.id),
        [
          { userId: alice.id, ical: 'alice-a' },
          { userId: bob.id, ical: 'bob-a2' },
        ].sort((x, y) => x.userId - y.userId),
      );
      assert.deepEqual(
        [...(await store.perUserDataFor(bob.id, [a.id, b.id, 999_999]))].sort((x, y) => x[0] - y[0]),
        [
          [a.id, 'bob-a2'],
          [b.id, 'bob-b'],
        ],
      );
      await tx((t) => t.putPerUserData(a.id, bob.id, null));
      assert.deepEqual(await store.perUserDataOf(a.id), [{ userId: alice.id, ical: 'alice-a' }]);
    });

    it('per-user data: goes with its object, its user, and the user’s share of the collection', async () => {
      const { bob, coll, a, b } = await setup();
      const carol = await tx((t) => t.createUser({ name: 'carol', passwordHash: 'h' }));
      await tx(async (t) => {
        for (const r of [a, b]) for (const u of [bob, carol]) await t.putPerUserData(r.id, u.id, `${u.name}`);
      });
      await tx((t) => t.deleteResource(`${HOME}/work/a.ics`));
      assert.deepEqual(await store.perUserDataOf(a.id), []);
      const share = await tx((t) =>
        t.putShare({
          collectionId: coll.id,
          shareeId: bob.id,
          access: 'read',
          directAccess: 'read',
          inviteUid: 'u1',
          summary: null,
          commonName: null,
        }),
      );
      await tx((t) => t.updateShare(share.id, { status: 'accepted', instancePath: '/calendars/bob/u1' }));
      assert.equal((await store.perUserDataOf(b.id)).length, 2, 'accepting keeps the rows');
      await tx((t) => t.deleteShare(share.id));
      assert.deepEqual(await store.perUserDataOf(b.id), [{ userId: carol.id, ical: 'carol' }]);
      await tx((t) => t.deleteUser(carol.id), [HOME, '/files/carol']);
      assert.deepEqual(await store.perUserDataOf(b.id), []);
    });
  });
}
