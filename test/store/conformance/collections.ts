/** Store conformance cases: collections. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejectsWith, HOME, store, alice, home, tx, put, mkcol, get } from './fixture.js';

export function collectionCases(): void {
  describe('collections', () => {
    it('collections: a home collection has no parent and starts with an empty feed', async () => {
      assert.equal(home.path, HOME);
      assert.equal(home.parentId, null);
      assert.equal(home.isCollection, true);
      assert.equal(home.collectionType, '');
      assert.equal(home.ownerId, alice.id);
      assert.equal(home.syncSeq, 0);
      assert.equal(home.size, 0);
      assert.equal(home.uid, null);
      assert.equal(await store.oldestSyncSeq(home.id), 0);
      assert.deepEqual(await store.changesSince(home.id, 0, 100), []);
      assert.deepEqual(await store.getResource(HOME), home);
      assert.deepEqual(await store.getResourceById(home.id), home);
    });

    it('collections: a nested collection points at its parent and keeps its type', async () => {
      const cal = await tx((t) =>
        t.createCollection(`${HOME}/work`, { ownerId: alice.id, collectionType: 'calendar' }),
      );
      assert.equal(cal.parentId, home.id);
      assert.equal(cal.isCollection, true);
      assert.equal(cal.collectionType, 'calendar');
      assert.equal(cal.syncSeq, 0);
      const deeper = await mkcol(`${HOME}/work/deeper`);
      assert.equal(deeper.parentId, cal.id);
      assert.deepEqual(await store.getResource(`${HOME}/work`), {
        ...cal,
        syncSeq: 1,
        modifiedAt: (await get(`${HOME}/work`)).modifiedAt,
      });
    });

    it("collections: a missing parent is StoreError 'conflict'; an object as parent too", async () => {
      await rejectsWith(mkcol(`${HOME}/missing/child`), 'conflict');
      await put(`${HOME}/file.txt`);
      await rejectsWith(mkcol(`${HOME}/file.txt/child`), 'conflict');
      assert.equal(await store.getResource(`${HOME}/missing/child`), null);
    });

    it("collections: an existing path is StoreError 'exists' (collection or object, home or not)", async () => {
      await mkcol(`${HOME}/c`);
      await put(`${HOME}/o.txt`);
      await rejectsWith(mkcol(`${HOME}/c`), 'exists');
      await rejectsWith(mkcol(`${HOME}/o.txt`), 'exists');
      await rejectsWith(
        tx((t) => t.createCollection(HOME, { ownerId: alice.id, home: true })),
        'exists',
      );
    });

    it('collections: setCollectionType changes the type and nothing in the feed', async () => {
      const c = await mkcol(`${HOME}/book`);
      const seq = (await get(HOME)).syncSeq;
      await tx((t) => t.setCollectionType(c.id, 'addressbook'));
      assert.equal((await get(`${HOME}/book`)).collectionType, 'addressbook');
      await tx((t) => t.setCollectionType(c.id, ''));
      assert.equal((await get(`${HOME}/book`)).collectionType, '');
      assert.equal((await get(HOME)).syncSeq, seq);
    });

    it('metaSeq: dead-property writes bump the resource and its collection, type changes the collection, object writes neither (sync_seq covers those)', async () => {
      const c = await mkcol(`${HOME}/cal`);
      const o = (await put(`${HOME}/cal/a.ics`)).resource;
      const other = await mkcol(`${HOME}/other`);
      const state = async (): Promise<number[]> => [
        (await get(`${HOME}/cal`)).metaSeq,
        (await get(`${HOME}/cal/a.ics`)).metaSeq,
        (await get(`${HOME}/other`)).metaSeq,
      ];
      const [c0, o0, x0] = await state();
      await tx((t) => t.patchProperties(o.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []));
      assert.deepEqual(await state(), [c0! + 1, o0! + 1, x0]);
      await tx((t) => t.patchProperties(c.id, [], ['{urn:x}q']));
      assert.deepEqual(await state(), [c0! + 2, o0! + 1, x0]);
      await tx((t) => t.setCollectionType(c.id, 'calendar'));
      assert.deepEqual(await state(), [c0! + 3, o0! + 1, x0]);
      const seq = (await get(`${HOME}/cal`)).syncSeq;
      await put(`${HOME}/cal/b.ics`);
      assert.deepEqual(await state(), [c0! + 3, o0! + 1, x0], 'an object write is in the feed, not in metaSeq');
      assert.ok((await get(`${HOME}/cal`)).syncSeq > seq);
      assert.equal(other.metaSeq, x0);
      // A member collection's feed shows in its etag and sync token: its parent's metaSeq moves.
      const home = (await get(HOME)).metaSeq;
      await put(`${HOME}/other/x.txt`);
      assert.equal((await get(HOME)).metaSeq, home + 1);
      assert.equal((await get(`${HOME}/other`)).metaSeq, x0);
    });

    it('collections: ids are never reused, so a sync token naming a deleted collection stays invalid (DESIGN: one change feed)', async () => {
      const old = await mkcol(`${HOME}/cal`);
      await tx((t) => t.deleteResource(`${HOME}/cal`));
      const again = await mkcol(`${HOME}/cal`);
      assert.notEqual(again.id, old.id);
      const o1 = (await put(`${HOME}/a.txt`)).resource;
      await tx((t) => t.deleteResource(`${HOME}/a.txt`));
      const o2 = (await put(`${HOME}/a.txt`)).resource;
      assert.notEqual(o2.id, o1.id);
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'x' }));
      await tx((t) => t.deleteUser(bob.id));
      const carol = await tx((t) => t.createUser({ name: 'carol', passwordHash: 'x' }));
      assert.notEqual(carol.id, bob.id, 'a principal id names one principal forever');
    });
  });
}
