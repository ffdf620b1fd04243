/** Store conformance cases: change feed. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, HOME, store, alice, home, tx, put, mkcol, get, lock } from './fixture.js';

export function changeFeedCases(): void {
  describe('change feed', () => {
    it("change feed: a put appends to the parent's feed in the same transaction (DESIGN: one change feed)", async () => {
      const before = Date.now();
      await tx(async (t) => {
        await t.putObject(`${HOME}/a.ics`, {
          ownerId: alice.id,
          body: bytes('a'),
          contentType: null,
          etag: '"a"',
          origin: 'phone-1',
        });
        const inside = await t.changesSince(home.id, 0, 10);
        assert.deepEqual(
          inside.map((c) => [c.seq, c.name, c.op]),
          [[1, 'a.ics', 'put']],
          'visible inside the writing transaction',
        );
        assert.equal((await t.getResource(HOME))?.syncSeq, 1);
        assert.deepEqual(await store.changesSince(home.id, 0, 10), [], 'invisible outside until commit');
      });
      const [c] = await store.changesSince(home.id, 0, 10);
      assert.ok(c);
      assert.deepEqual(
        { ...c, at: 0 },
        { collectionId: home.id, seq: 1, name: 'a.ics', op: 'put', origin: 'phone-1', at: 0 },
      );
      assert.ok(c.at >= before && c.at <= Date.now());
      assert.equal((await get(HOME)).syncSeq, 1);
    });

    it('change feed: put, replace, createCollection, delete and move each append with increasing seq; origin kept', async () => {
      await put(`${HOME}/a.ics`, 'a');
      await put(`${HOME}/a.ics`, 'a2', { origin: 'dev-2' });
      await mkcol(`${HOME}/sub`, 'web');
      await put(`${HOME}/sub/in.ics`);
      await tx((t) => t.moveResource(`${HOME}/a.ics`, `${HOME}/b.ics`));
      await tx((t) => t.deleteResource(`${HOME}/b.ics`, 'dev-3'));
      const feed = await store.changesSince(home.id, 0, 100);
      assert.deepEqual(
        feed.map((c) => [c.seq, c.name, c.op, c.origin]),
        [
          [1, 'a.ics', 'put', null],
          [2, 'a.ics', 'put', 'dev-2'],
          [3, 'sub/', 'put', 'web'],
          // sub's etag moved with its new member (RFC 6578 §3.5.1).
          [4, 'sub/', 'put', null],
          [5, 'a.ics', 'delete', null],
          [6, 'b.ics', 'put', null],
          [7, 'b.ics', 'delete', 'dev-3'],
        ],
      );
      for (let i = 1; i < feed.length; i++) assert.ok(feed[i]!.at >= feed[i - 1]!.at);
      assert.equal((await get(HOME)).syncSeq, 7, "a collection's syncSeq is its newest seq");
      const sub = await get(`${HOME}/sub`);
      assert.equal(sub.syncSeq, 1, 'feeds are per collection');
      assert.deepEqual(
        (await store.changesSince(sub.id, 0, 10)).map((c) => [c.seq, c.name]),
        [[1, 'in.ics']],
      );
    });

    it('change feed: creating a home collection, setting properties or locks records nothing', async () => {
      const { resource } = await put(`${HOME}/a`);
      await tx(async (t) => {
        await t.createCollection('/calendars/alice', { ownerId: alice.id, home: true });
        await t.patchProperties(resource.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []);
        await t.createLock(lock(`${HOME}/a`));
      });
      assert.equal((await get(HOME)).syncSeq, 1);
      assert.equal((await get('/calendars/alice')).syncSeq, 0);
    });

    it('change feed: changesSince returns seq > afterSeq, ascending, at most limit', async () => {
      for (let i = 1; i <= 7; i++) await put(`${HOME}/o${i}`);
      const seqs = async (after: number, limit: number) =>
        (await store.changesSince(home.id, after, limit)).map((c) => c.seq);
      assert.deepEqual(await seqs(0, 100), [1, 2, 3, 4, 5, 6, 7]);
      assert.deepEqual(await seqs(0, 3), [1, 2, 3]);
      assert.deepEqual(await seqs(3, 3), [4, 5, 6]);
      assert.deepEqual(await seqs(6, 3), [7]);
      assert.deepEqual(await seqs(7, 3), []);
      assert.deepEqual(await store.changesSince(999_999, 0, 10), []);
    });

    it('change feed: compactChanges drops old rows and raises oldestSyncSeq, never lowers it; seq continues', async () => {
      for (let i = 1; i <= 5; i++) await put(`${HOME}/o${i}`);
      assert.equal(await store.oldestSyncSeq(home.id), 0);
      await tx((t) => t.compactChanges(home.id, 3));
      assert.equal(await store.oldestSyncSeq(home.id), 3);
      assert.deepEqual(
        (await store.changesSince(home.id, 0, 100)).map((c) => c.seq),
        [4, 5],
      );
      assert.equal((await get(HOME)).syncSeq, 5, 'compaction keeps the sync sequence');
      await tx((t) => t.compactChanges(home.id, 1));
      assert.equal(await store.oldestSyncSeq(home.id), 3, 'the floor never goes down');
      await put(`${HOME}/o6`);
      assert.deepEqual(
        (await store.changesSince(home.id, 3, 100)).map((c) => c.seq),
        [4, 5, 6],
      );
      await tx((t) => t.compactChanges(home.id, 6));
      assert.equal(await store.oldestSyncSeq(home.id), 6);
      assert.deepEqual(await store.changesSince(home.id, 0, 100), []);
      await put(`${HOME}/o7`);
      assert.deepEqual(
        (await store.changesSince(home.id, 6, 100)).map((c) => c.seq),
        [7],
      );
    });
  });
}
