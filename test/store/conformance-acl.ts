/**
 * Store conformance for stored ACEs and groups (RFC 3744 §5.5, §2; issue #17), run against
 * every backend like the main case file (DESIGN, Convention 8). Kept as its own section so it
 * moves as one piece into test/store/conformance/.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Store, StoreTx } from '../../src/store/store.js';
import type { User } from '../../src/store/types.js';
import type { OpenedStore } from './conformance/index.js';

export function runAclConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store conformance (ACL and groups): ${name}`, () => {
    let opened: OpenedStore | undefined;
    let store: Store;
    let alice: User;
    let bob: User;
    const tx = <T>(fn: (t: StoreTx) => Promise<T>): Promise<T> => store.transaction(['/calendars/alice'], fn);

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      [alice, bob] = await tx(async (t) => {
        const a = await t.createUser({ name: 'alice', passwordHash: 'a' });
        const b = await t.createUser({ name: 'bob', passwordHash: 'b' });
        await t.createCollection('/calendars/alice', { ownerId: a.id, home: true });
        await t.createCollection('/calendars/alice/work', { ownerId: a.id });
        return [a, b] as const;
      });
    });

    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    const work = async () => {
      const r = await store.getResource('/calendars/alice/work');
      assert.ok(r);
      return r;
    };

    it('setAces keeps ACEs in order and replaces them; getAces of a path without any is empty', async () => {
      const w = await work();
      await tx((t) =>
        t.setAces(w.id, [
          { principal: { kind: 'user', id: bob.id }, privileges: ['read', 'write'] },
          { principal: { kind: 'authenticated' }, privileges: ['read-free-busy'] },
        ]),
      );
      assert.deepEqual(await store.getAces('/calendars/alice/work'), [
        { principal: { kind: 'user', id: bob.id }, privileges: ['read', 'write'] },
        { principal: { kind: 'authenticated' }, privileges: ['read-free-busy'] },
      ]);
      await tx((t) => t.setAces(w.id, [{ principal: { kind: 'all' }, privileges: ['read'] }]));
      assert.deepEqual(await store.getAces('/calendars/alice/work'), [
        { principal: { kind: 'all' }, privileges: ['read'] },
      ]);
      assert.deepEqual(await store.getAces('/calendars/alice'), []);
      assert.deepEqual(await store.getAces('/nowhere'), []);
    });

    it("setAces moves the resource's and its parent's metaSeq (cached answers name that state)", async () => {
      const before = await work();
      const home = await store.getResource('/calendars/alice');
      await tx((t) => t.setAces(before.id, []));
      assert.equal((await work()).metaSeq, before.metaSeq + 1);
      assert.equal((await store.getResource('/calendars/alice'))?.metaSeq, (home?.metaSeq ?? 0) + 1);
    });

    it('grantsFor: direct, through a group, DAV:authenticated and DAV:all, with the current path after a MOVE', async () => {
      const w = await work();
      const team = await tx((t) => t.createGroup('team'));
      await tx((t) => t.setAces(w.id, [{ principal: { kind: 'group', id: team.id }, privileges: ['write'] }]));
      assert.deepEqual(await store.grantsFor(bob.id), []);
      await tx((t) => t.addGroupMember(team.id, bob.id));
      await tx((t) => t.addGroupMember(team.id, bob.id));
      assert.deepEqual(await store.grantsFor(bob.id), [{ path: '/calendars/alice/work', privileges: ['write'] }]);
      await tx((t) => t.moveResource('/calendars/alice/work', '/calendars/alice/job'));
      assert.deepEqual(await store.grantsFor(bob.id), [{ path: '/calendars/alice/job', privileges: ['write'] }]);
      await tx((t) =>
        t.setAces(w.id, [
          { principal: { kind: 'user', id: bob.id }, privileges: ['read'] },
          { principal: { kind: 'all' }, privileges: ['read-free-busy'] },
        ]),
      );
      assert.deepEqual(await store.grantsFor(alice.id), [
        { path: '/calendars/alice/job', privileges: ['read-free-busy'] },
      ]);
      assert.equal((await store.grantsFor(bob.id)).length, 2);
    });

    it('groups: create (a second of one name is refused), list, members, groupsOf, remove member, delete', async () => {
      const team = await tx((t) => t.createGroup('team'));
      await assert.rejects(tx((t) => t.createGroup('team')));
      await tx((t) => t.createGroup('alpha'));
      assert.deepEqual(
        (await store.listGroups()).map((g) => g.name),
        ['alpha', 'team'],
      );
      assert.equal((await store.getGroupByName('team'))?.id, team.id);
      assert.equal((await store.getGroupById(team.id))?.name, 'team');
      await tx((t) => t.addGroupMember(team.id, bob.id));
      await tx((t) => t.addGroupMember(team.id, alice.id));
      assert.deepEqual(
        (await store.groupMembers(team.id)).map((u) => u.name),
        ['alice', 'bob'],
      );
      assert.deepEqual(
        (await store.groupsOf(bob.id)).map((g) => g.name),
        ['team'],
      );
      await tx((t) => t.removeGroupMember(team.id, alice.id));
      assert.deepEqual(
        (await store.groupMembers(team.id)).map((u) => u.name),
        ['bob'],
      );
      const w = await work();
      await tx((t) => t.setAces(w.id, [{ principal: { kind: 'group', id: team.id }, privileges: ['read'] }]));
      await tx((t) => t.deleteGroup(team.id));
      assert.equal(await store.getGroupByName('team'), null);
      assert.deepEqual(await store.getAces('/calendars/alice/work'), [], 'deleting a group removes the ACEs naming it');
      assert.deepEqual(await store.groupsOf(bob.id), []);
    });

    it('deleting a collection removes its ACEs; deleting a user removes ACEs naming them and their memberships', async () => {
      const w = await work();
      const team = await tx((t) => t.createGroup('team'));
      await tx((t) => t.addGroupMember(team.id, bob.id));
      await tx((t) =>
        t.setAces(w.id, [
          { principal: { kind: 'user', id: bob.id }, privileges: ['read'] },
          { principal: { kind: 'authenticated' }, privileges: ['read'] },
        ]),
      );
      await tx((t) => t.deleteUser(bob.id));
      assert.deepEqual(await store.getAces('/calendars/alice/work'), [
        { principal: { kind: 'authenticated' }, privileges: ['read'] },
      ]);
      assert.deepEqual(await store.groupMembers(team.id), []);
      await tx((t) => t.deleteResource('/calendars/alice/work'));
      assert.deepEqual(await store.grantsFor(alice.id), []);
      await tx((t) => t.createCollection('/calendars/alice/work', { ownerId: alice.id }));
      assert.deepEqual(
        await store.getAces('/calendars/alice/work'),
        [],
        'a new collection at the path inherits nothing',
      );
    });
  });
}
