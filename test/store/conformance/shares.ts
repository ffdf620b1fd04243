/** Store conformance cases: shares and their instances (migration 13, issue #17 sharing). Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewShare } from '../../../src/store/capabilities/shares.js';
import { HOME, alice, get, store, tx } from './fixture.js';

export function shareCases(): void {
  describe('shares and instances (migration 13)', () => {
    const setup = async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'h' }));
      const coll = await tx((t) =>
        t.createCollection(`${HOME}/work`, { ownerId: alice.id, collectionType: 'calendar' }),
      );
      const share: NewShare = {
        collectionId: coll.id,
        shareeId: bob.id,
        access: 'read',
        directAccess: 'read',
        inviteUid: 'uid-1',
        summary: 'Work',
        commonName: 'Bob',
      };
      return { bob, coll, share };
    };

    it('shares: an invitation is pending and grants nothing; accepted, it grants on the collection and the instance', async () => {
      const { bob, coll, share } = await setup();
      const before = (await get(`${HOME}/work`)).metaSeq;
      const s = await tx((t) => t.putShare(share));
      assert.equal(s.status, 'pending');
      assert.equal(s.collectionPath, `${HOME}/work`);
      assert.equal(s.ownerId, alice.id);
      assert.ok((await get(`${HOME}/work`)).metaSeq > before, 'a share moves the collection meta_seq');
      assert.deepEqual(await store.grantsFor(bob.id), []);
      const props = [{ name: '{DAV:}displayname', xml: '<D:displayname xmlns:D="DAV:">Mine</D:displayname>' }];
      await tx((t) =>
        t.updateShare(s.id, { status: 'accepted', instancePath: '/calendars/bob/uid-1', properties: props }),
      );
      assert.deepEqual(await store.grantsFor(bob.id), [
        { path: `${HOME}/work`, privileges: ['read'] },
        { path: '/calendars/bob/uid-1', privileges: ['read'] },
      ]);
      const byInstance = await store.shareByInstance('/calendars/bob/uid-1');
      assert.equal(byInstance?.collectionId, coll.id);
      assert.deepEqual(byInstance?.properties, props);
      assert.equal((await store.shareByInvite('uid-1'))?.id, s.id);
    });

    it('shares: setting a sharee again changes access and keeps uid, status and instance; read-write grants write', async () => {
      const { bob, share } = await setup();
      const s = await tx((t) => t.putShare(share));
      await tx((t) => t.updateShare(s.id, { status: 'accepted', instancePath: '/calendars/bob/uid-1' }));
      const again = await tx((t) => t.putShare({ ...share, access: 'read-write', inviteUid: 'other' }));
      assert.equal(again.id, s.id);
      assert.equal(again.inviteUid, 'uid-1');
      assert.equal(again.status, 'accepted');
      assert.equal(again.instancePath, '/calendars/bob/uid-1');
      assert.deepEqual((await store.grantsFor(bob.id))[0]?.privileges, ['read', 'write']);
      assert.deepEqual(
        (await store.sharesOf(again.collectionId)).map((x) => x.shareeId),
        [bob.id],
      );
      assert.deepEqual(
        (await store.sharesFor(bob.id)).map((x) => x.id),
        [s.id],
      );
    });

    it('shares: deleting the share, the collection or the sharee removes the share and its grant at once', async () => {
      const { bob, share } = await setup();
      const s = await tx((t) => t.putShare(share));
      await tx((t) => t.updateShare(s.id, { status: 'accepted', instancePath: '/calendars/bob/uid-1' }));
      await tx((t) => t.deleteShare(s.id));
      assert.deepEqual(await store.grantsFor(bob.id), []);
      assert.equal(await store.shareByInstance('/calendars/bob/uid-1'), null);
      const s2 = await tx((t) => t.putShare(share));
      await tx((t) => t.deleteResource(`${HOME}/work`));
      assert.equal(await store.shareByInvite(s2.inviteUid), null);
      const { share: again } = await (async () => {
        const coll = await tx((t) =>
          t.createCollection(`${HOME}/w2`, { ownerId: alice.id, collectionType: 'calendar' }),
        );
        return { share: { ...share, collectionId: coll.id } };
      })();
      await tx((t) => t.putShare(again));
      await tx((t) => t.deleteUser(bob.id), [HOME, '/calendars/bob']);
      assert.deepEqual(await store.sharesOf(again.collectionId), []);
    });

    it('shares: a declined share has no instance and a pending one is not found by instance path', async () => {
      const { share } = await setup();
      const s = await tx((t) => t.putShare(share));
      await tx((t) => t.updateShare(s.id, { status: 'declined', instancePath: null }));
      assert.equal((await store.shareByInvite('uid-1'))?.status, 'declined');
      assert.equal(await store.shareByInstance('/calendars/bob/uid-1'), null);
    });

    it('group shares (migration 22): one per group and collection, kept uid on change, gone with the group or the collection', async () => {
      const { coll } = await setup();
      const group = await tx((t) => t.createGroup('team'));
      const first = await tx((t) =>
        t.putGroupShare({
          collectionId: coll.id,
          groupId: group.id,
          access: 'read',
          inviteUid: 'g-1',
          summary: 'Team',
        }),
      );
      assert.equal(first.groupName, 'team');
      assert.equal(first.collectionPath, `${HOME}/work`);
      const changed = await tx((t) =>
        t.putGroupShare({
          collectionId: coll.id,
          groupId: group.id,
          access: 'read-write',
          inviteUid: 'g-2',
          summary: null,
        }),
      );
      assert.equal(changed.id, first.id);
      assert.equal(changed.inviteUid, 'g-1', 'the uid stays');
      assert.equal(changed.access, 'read-write');
      assert.deepEqual(
        (await store.groupSharesOfGroup(group.id)).map((g) => g.collectionId),
        [coll.id],
      );
      await tx((t) => t.deleteGroup(group.id), [HOME, '/principals/groups']);
      assert.deepEqual(await store.groupSharesOf(coll.id), []);
      const other = await tx((t) => t.createGroup('other'));
      await tx((t) =>
        t.putGroupShare({ collectionId: coll.id, groupId: other.id, access: 'read', inviteUid: 'g-3', summary: null }),
      );
      await tx((t) => t.deleteResource(`${HOME}/work`));
      assert.deepEqual(await store.groupSharesOfGroup(other.id), []);
    });

    it('shares: direct_access is kept apart from the access a group raises it to', async () => {
      const { share } = await setup();
      const s = await tx((t) => t.putShare({ ...share, access: 'read-write', directAccess: null }));
      assert.equal(s.directAccess, null);
      assert.equal(s.access, 'read-write');
      const named = await tx((t) => t.putShare({ ...share, access: 'read-write', directAccess: 'read' }));
      assert.equal(named.directAccess, 'read');
      assert.equal(named.id, s.id);
    });
  });
}
