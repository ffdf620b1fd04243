/** Store conformance cases: transactions. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, same, rejectsWith, HOME, Boom, store, alice, home, tx, put, mkcol, get, lock } from './fixture.js';

export function transactionCases(): void {
  describe('transactions', () => {
    it('transactions: one that throws after writes leaves no trace (DESIGN: object, index, change and token commit together or not at all)', async () => {
      const coll = await mkcol(`${HOME}/cal`);
      await put(`${HOME}/cal/keep.ics`, 'keep');
      const homeBefore = await get(HOME);
      const collBefore = await get(`${HOME}/cal`);
      const usersBefore = await store.listUsers();
      const err = new Boom('fail after writing');
      await assert.rejects(
        tx(async (t) => {
          await t.putObject(`${HOME}/cal/new.ics`, {
            ownerId: alice.id,
            body: bytes('n'),
            contentType: null,
            etag: '"n"',
            index: { uid: 'u' },
          });
          await t.putObject(`${HOME}/cal/keep.ics`, {
            ownerId: alice.id,
            body: bytes('changed'),
            contentType: null,
            etag: '"c"',
          });
          await t.createCollection(`${HOME}/other`, { ownerId: alice.id });
          await t.deleteResource(`${HOME}/cal/keep.ics`);
          await t.createUser({ name: 'mallory', passwordHash: 'x' });
          await t.setValue('ns', 'k', 'v', null);
          await t.createLock(lock(`${HOME}/cal`));
          await t.compactChanges(coll.id, 1);
          throw err;
        }),
        (e: unknown) => e === err,
      );
      assert.equal(await store.getResource(`${HOME}/cal/new.ics`), null);
      assert.equal(await store.getResource(`${HOME}/other`), null);
      const keep = await get(`${HOME}/cal/keep.ics`);
      same(await store.readBody(keep.id), bytes('keep'));
      assert.deepEqual(await get(HOME), homeBefore);
      assert.deepEqual(await get(`${HOME}/cal`), collBefore);
      assert.equal(collBefore.syncSeq, 1);
      assert.deepEqual(
        (await store.changesSince(coll.id, 0, 100)).map((c) => c.seq),
        [1],
      );
      assert.equal(await store.oldestSyncSeq(coll.id), 0);
      assert.deepEqual(await store.listUsers(), usersBefore);
      assert.equal(await store.getValue('ns', 'k', 0), null);
      assert.deepEqual(await store.locksWithin(HOME, 0), []);
      // The next write continues the feed where the committed history left it.
      await put(`${HOME}/cal/after.ics`);
      assert.deepEqual(
        (await store.changesSince(coll.id, 0, 100)).map((c) => [c.seq, c.name]),
        [
          [1, 'keep.ics'],
          [2, 'after.ics'],
        ],
      );
    });

    it('transactions: a row read again in a transaction shows what the transaction wrote since (reads are kept only until a write, issue #20)', async () => {
      const coll = await mkcol(`${HOME}/cal`);
      const options = (etag: string) => ({ ownerId: alice.id, body: bytes(etag), contentType: null, etag });
      await tx(async (t) => {
        const c0 = await t.getResource(`${HOME}/cal`);
        assert.equal(await t.getResource(`${HOME}/cal/a.ics`), null);
        assert.equal(await t.getResource(`${HOME}/cal/a.ics`), null, 'read twice');
        await t.putObject(`${HOME}/cal/a.ics`, options('"1"'));
        assert.equal((await t.getResource(`${HOME}/cal/a.ics`))?.etag, '"1"');
        const c1 = await t.getResource(`${HOME}/cal`);
        assert.equal(c1?.syncSeq, c0!.syncSeq + 1, 'the collection read before the put shows its new sync_seq');
        assert.equal((await t.getResourceById(coll.id))?.syncSeq, c1?.syncSeq);
        await t.putObject(`${HOME}/cal/a.ics`, options('"2"'));
        assert.equal((await t.getResource(`${HOME}/cal/a.ics`))?.etag, '"2"');
        assert.equal((await t.getResourceById(coll.id))?.syncSeq, c0!.syncSeq + 2);
        await t.patchProperties(coll.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []);
        assert.equal((await t.getResourceById(coll.id))?.metaSeq, c1!.metaSeq + 1);
        await t.moveResource(`${HOME}/cal/a.ics`, `${HOME}/cal/b.ics`);
        assert.equal(await t.getResource(`${HOME}/cal/a.ics`), null);
        assert.equal((await t.getResource(`${HOME}/cal/b.ics`))?.etag, '"2"');
        await t.deleteResource(`${HOME}/cal/b.ics`);
        assert.equal(await t.getResource(`${HOME}/cal/b.ics`), null);
        await t.setCollectionType(coll.id, 'calendar');
        assert.equal((await t.getResource(`${HOME}/cal`))?.collectionType, 'calendar');
      });
      assert.equal((await get(`${HOME}/cal`)).collectionType, 'calendar');
    });

    it('transactions: a StoreError inside a transaction rolls back the earlier writes of that transaction', async () => {
      await rejectsWith(
        tx(async (t) => {
          await t.putObject(`${HOME}/first.ics`, {
            ownerId: alice.id,
            body: bytes('1'),
            contentType: null,
            etag: '"1"',
          });
          await t.createCollection(HOME, { ownerId: alice.id, home: true });
        }),
        'exists',
      );
      assert.equal(await store.getResource(`${HOME}/first.ics`), null);
      assert.equal((await get(HOME)).syncSeq, 0);
    });

    it('transactions: the result is returned; uncommitted writes are invisible outside', async () => {
      const result = await tx(async (t) => {
        const r = await t.putObject(`${HOME}/x`, {
          ownerId: alice.id,
          body: bytes('x'),
          contentType: null,
          etag: '"x"',
        });
        assert.equal((await t.getResource(`${HOME}/x`))?.id, r.resource.id, 'a transaction reads its own writes');
        assert.equal(await store.getResource(`${HOME}/x`), null, 'others do not see it before commit');
        return r.resource.id;
      });
      assert.equal((await get(`${HOME}/x`)).id, result);
    });

    it('transactions: 20 concurrent transactions putting different objects into one collection all commit with seqs 1..20', async () => {
      const coll = await mkcol(`${HOME}/busy`);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          // Distinct lock keys: the store itself, not the advisory lock, must serialise the feed.
          store.transaction([`${HOME}/busy/o${i}.ics`], async (t) => {
            const r = await t.putObject(`${HOME}/busy/o${i}.ics`, {
              ownerId: alice.id,
              body: bytes(`o${i}`),
              contentType: null,
              etag: `"${i}"`,
            });
            return r.created;
          }),
        ),
      );
      assert.deepEqual(results, Array(20).fill(true));
      const feed = await store.changesSince(coll.id, 0, 100);
      assert.deepEqual(
        feed.map((c) => c.seq),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      assert.deepEqual(new Set(feed.map((c) => c.name)).size, 20);
      assert.equal((await get(`${HOME}/busy`)).syncSeq, 20);
      assert.equal((await store.listChildren(coll.id)).length, 20);
    });

    it('transactions: 20 concurrent transactions under one lock key (a home) also all commit with seqs 1..20', async () => {
      const coll = await mkcol(`${HOME}/busy`);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.transaction([HOME], (t) =>
            t.putObject(`${HOME}/busy/o${i}.ics`, {
              ownerId: alice.id,
              body: bytes(`o${i}`),
              contentType: null,
              etag: `"${i}"`,
            }),
          ),
        ),
      );
      assert.deepEqual(
        (await store.changesSince(coll.id, 0, 100)).map((c) => c.seq),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      for (let i = 0; i < 20; i++) same(await store.readBody((await get(`${HOME}/busy/o${i}.ics`)).id), bytes(`o${i}`));
    });

    it('transactions: a failed transaction does not stop the ones queued behind it', async () => {
      const outcomes = await Promise.allSettled([
        put(`${HOME}/a`),
        tx(async () => {
          throw new Boom('no');
        }),
        put(`${HOME}/b`),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(
        (await store.changesSince(home.id, 0, 10)).map((c) => [c.seq, c.name]),
        [
          [1, 'a'],
          [2, 'b'],
        ],
      );
    });

    it('transactions: among 12 concurrent ones, those that throw after writing leave no trace and the rest all commit (group commit isolates failures)', async () => {
      const coll = await mkcol(`${HOME}/mixed`);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          store.transaction([HOME], async (t) => {
            await t.putObject(`${HOME}/mixed/o${i}`, {
              ownerId: alice.id,
              body: bytes(`o${i}`),
              contentType: null,
              etag: `"${i}"`,
            });
            if (i % 3 === 1) throw new Boom(`fail ${i}`);
            return i;
          }),
        ),
      );
      assert.deepEqual(
        outcomes.map((o) => o.status),
        Array.from({ length: 12 }, (_, i) => (i % 3 === 1 ? 'rejected' : 'fulfilled')),
      );
      const names = (await store.listChildren(coll.id)).map((r) => r.path.slice(r.path.lastIndexOf('/') + 1)).sort();
      assert.deepEqual(
        names,
        Array.from({ length: 12 }, (_, i) => i)
          .filter((i) => i % 3 !== 1)
          .map((i) => `o${i}`)
          .sort(),
      );
      const feed = await store.changesSince(coll.id, 0, 100);
      assert.deepEqual(
        feed.map((c) => c.seq),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
      assert.equal((await get(`${HOME}/mixed`)).syncSeq, 8);
    });
  });
}
