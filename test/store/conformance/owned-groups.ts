/**
 * Store conformance cases: groups a user owns (migration 13), which hold a user's
 * calendar-user proxies (caldav-proxy §5.2). Registered by index.ts; each case runs on a fresh store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alice, store, tx } from './fixture.js';

export function ownedGroupCases(): void {
  describe('owned groups', () => {
    it('owned groups: made once per owner and role, named OWNER/ROLE, found by owner and role and by id', async () => {
      const made = await tx((t) => t.ensureOwnedGroup(alice, 'calendar-proxy-write'));
      assert.equal(made.name, 'alice/calendar-proxy-write');
      assert.deepEqual(made.owner, { id: alice.id, name: 'alice' });
      assert.equal(made.role, 'calendar-proxy-write');
      const again = await tx((t) => t.ensureOwnedGroup(alice, 'calendar-proxy-write'));
      assert.equal(again.id, made.id, 'ensureOwnedGroup returns the group it made before');
      assert.deepEqual(await store.getOwnedGroup(alice.id, 'calendar-proxy-write'), made);
      assert.deepEqual(await store.getGroupById(made.id), made);
      assert.equal(await store.getOwnedGroup(alice.id, 'calendar-proxy-read'), null);
    });

    it('owned groups: not listed or found by name with the groups no one owns; members see them in groupsOf', async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'b' }));
      const [team, proxy] = await tx(async (t) => {
        const g = await t.createGroup('team');
        const p = await t.ensureOwnedGroup(alice, 'calendar-proxy-read');
        await t.addGroupMember(g.id, bob.id);
        await t.addGroupMember(p.id, bob.id);
        return [g, p] as const;
      });
      assert.equal(team.owner, null);
      assert.equal(team.role, null);
      assert.deepEqual(
        (await store.listGroups()).map((g) => g.name),
        ['team'],
      );
      assert.equal(await store.getGroupByName('alice/calendar-proxy-read'), null);
      assert.deepEqual((await store.groupsOf(bob.id)).map((g) => g.id).sort(), [team.id, proxy.id].sort());
      assert.deepEqual(
        (await store.groupMembers(proxy.id)).map((u) => u.name),
        ['bob'],
      );
    });

    it('owned groups: deleting the owner deletes their groups, memberships and the ACEs naming them', async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'b' }));
      const bobHome = await tx(
        (t) => t.createCollection('/calendars/bob', { ownerId: bob.id, home: true }),
        ['/calendars/bob'],
      );
      const proxy = await tx(async (t) => {
        const p = await t.ensureOwnedGroup(alice, 'calendar-proxy-write');
        await t.addGroupMember(p.id, bob.id);
        return p;
      });
      await tx(
        (t) => t.setAces(bobHome.id, [{ principal: { kind: 'group', id: proxy.id }, privileges: ['read'] }]),
        ['/calendars/bob'],
      );
      assert.equal((await store.grantsFor(bob.id)).length, 1);
      await tx((t) => t.deleteUser(alice.id));
      assert.equal(await store.getGroupById(proxy.id), null);
      assert.deepEqual(await store.groupsOf(bob.id), []);
      assert.deepEqual(await store.getAces('/calendars/bob'), []);
      assert.deepEqual(await store.grantsFor(bob.id), []);
    });
  });
}
