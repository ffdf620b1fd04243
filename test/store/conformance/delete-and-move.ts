/** Store conformance cases: delete and move. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, same, rejectsWith, HOME, store, home, tx, put, mkcol, get, lock } from './fixture.js';

export function deleteAndMoveCases(): void {
  describe('delete and move', () => {
    it('deleteResource: an object goes with its properties and locks; the parent feed records the delete', async () => {
      const { resource } = await put(`${HOME}/o.txt`);
      await tx(async (t) => {
        await t.patchProperties(resource.id, [{ name: '{urn:x}a', xml: '<a xmlns="urn:x">1</a>' }], []);
        await t.createLock(lock(`${HOME}/o.txt`));
      });
      await tx((t) => t.deleteResource(`${HOME}/o.txt`, 'device-1'));
      assert.equal(await store.getResource(`${HOME}/o.txt`), null);
      assert.equal(await store.getResourceById(resource.id), null);
      assert.deepEqual(await store.getProperties(resource.id), []);
      assert.deepEqual(await store.locksCovering(`${HOME}/o.txt`, Date.now()), []);
      const last = (await store.changesSince(home.id, 0, 100)).at(-1);
      assert.deepEqual([last?.name, last?.op, last?.origin], ['o.txt', 'delete', 'device-1']);
    });

    it('deleteResource: recursive — descendants, their properties, feeds and locks are gone; `/a/b c` stays', async () => {
      const b = await mkcol(`${HOME}/b`);
      const c = await mkcol(`${HOME}/b/c`);
      const d = (await put(`${HOME}/b/c/d.ics`)).resource;
      const sib = (await put(`${HOME}/b c`)).resource;
      const sibLock = lock(`${HOME}/b c`);
      await tx(async (t) => {
        for (const r of [b, c, d, sib])
          await t.patchProperties(r.id, [{ name: '{urn:x}p', xml: `<p xmlns="urn:x">${r.id}</p>` }], []);
        await t.createLock(lock(`${HOME}/b`, { depth: 'infinity' }));
        await t.createLock(lock(`${HOME}/b/c/d.ics`));
        await t.createLock(sibLock);
      });
      const seqBefore = (await get(HOME)).syncSeq;
      await tx((t) => t.deleteResource(`${HOME}/b`));
      for (const r of [b, c, d]) {
        assert.equal(await store.getResourceById(r.id), null);
        assert.deepEqual(await store.getProperties(r.id), []);
        assert.deepEqual(await store.changesSince(r.id, 0, 100), []);
      }
      assert.deepEqual(await store.listDescendants(`${HOME}/b`), []);
      const now = Date.now();
      assert.deepEqual(await store.locksWithin(`${HOME}/b`, now), []);
      assert.deepEqual(
        (await store.locksWithin(HOME, now)).map((l) => l.token),
        [sibLock.token],
      );
      assert.ok(await store.getResourceById(sib.id));
      assert.equal((await store.getProperties(sib.id)).length, 1);
      const feed = await store.changesSince(home.id, seqBefore, 100);
      assert.deepEqual(
        feed.map((ch) => [ch.seq, ch.name, ch.op]),
        [[seqBefore + 1, 'b/', 'delete']],
        "one delete, for the member itself (a collection's name ends in /)",
      );
      assert.equal((await get(HOME)).syncSeq, seqBefore + 1);
    });

    it("deleteResource: a missing path is StoreError 'not-found'", async () => {
      await rejectsWith(
        tx((t) => t.deleteResource(`${HOME}/ghost`)),
        'not-found',
      );
    });

    it('moveResource: a rename keeps id, body and properties and records delete + put in the feed', async () => {
      const { resource } = await put(`${HOME}/old.ics`, 'body');
      await tx((t) => t.patchProperties(resource.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []));
      const seq = (await get(HOME)).syncSeq;
      const moved = await tx((t) => t.moveResource(`${HOME}/old.ics`, `${HOME}/new.ics`, 'dev'));
      assert.equal(moved.id, resource.id);
      assert.equal(moved.path, `${HOME}/new.ics`);
      assert.equal(moved.parentId, home.id);
      assert.equal(moved.etag, resource.etag);
      assert.equal(await store.getResource(`${HOME}/old.ics`), null);
      same(await store.readBody(moved.id), bytes('body'));
      assert.deepEqual(
        (await store.getProperties(moved.id)).map((p) => p.name),
        ['{urn:x}p'],
      );
      const feed = await store.changesSince(home.id, seq, 100);
      assert.deepEqual(
        feed.map((c) => [c.seq, c.name, c.op, c.origin]),
        [
          [seq + 1, 'old.ics', 'delete', 'dev'],
          [seq + 2, 'new.ics', 'put', 'dev'],
        ],
      );
    });

    it('moveResource: a subtree moves with paths rewritten, ids kept, source locks removed, `/a/src c` untouched', async () => {
      const dst = await mkcol(`${HOME}/dst`);
      const src = await mkcol(`${HOME}/src`);
      const sub = await mkcol(`${HOME}/src/sub`);
      const deep = (await put(`${HOME}/src/sub/deep.ics`, 'deep')).resource;
      const top = (await put(`${HOME}/src/top.ics`, 'top')).resource;
      const lookalike = (await put(`${HOME}/src c`, 'other')).resource;
      const lookalikeLock = lock(`${HOME}/src c`);
      await tx(async (t) => {
        await t.patchProperties(deep.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x">deep</p>' }], []);
        await t.createLock(lock(`${HOME}/src`, { depth: 'infinity' }));
        await t.createLock(lock(`${HOME}/src/sub/deep.ics`));
        await t.createLock(lookalikeLock);
      });
      const subFeed = await store.changesSince(sub.id, 0, 100);
      const homeSeq = (await get(HOME)).syncSeq;

      const moved = await tx((t) => t.moveResource(`${HOME}/src`, `${HOME}/dst/moved`));
      assert.equal(moved.id, src.id);
      assert.equal(moved.path, `${HOME}/dst/moved`);
      assert.equal(moved.parentId, dst.id);
      assert.deepEqual(
        (await store.listDescendants(`${HOME}/dst/moved`)).map((r) => [r.id, r.path, r.parentId]),
        [
          [sub.id, `${HOME}/dst/moved/sub`, src.id],
          [deep.id, `${HOME}/dst/moved/sub/deep.ics`, sub.id],
          [top.id, `${HOME}/dst/moved/top.ics`, src.id],
        ],
      );
      assert.deepEqual(await store.listDescendants(`${HOME}/src`), []);
      assert.equal(await store.getResource(`${HOME}/src`), null);
      same(await store.readBody(deep.id), bytes('deep'));
      assert.equal((await store.getProperties(deep.id))[0]?.xml, '<p xmlns="urn:x">deep</p>');
      assert.deepEqual(await store.changesSince(sub.id, 0, 100), subFeed, 'a moved collection keeps its own feed');
      const lk = await get(`${HOME}/src c`);
      assert.deepEqual([lk.id, lk.path], [lookalike.id, `${HOME}/src c`]);
      const now = Date.now();
      assert.deepEqual(await store.locksWithin(`${HOME}/src`, now), []);
      assert.deepEqual(await store.locksWithin(`${HOME}/dst`, now), [], 'locks do not travel with a move');
      assert.deepEqual(
        (await store.locksWithin(HOME, now)).map((l) => l.token),
        [lookalikeLock.token],
      );
      // dst changed (it gained `moved/`), so the home's feed records it too (RFC 6578 §3.5.1).
      assert.deepEqual(
        (await store.changesSince(home.id, homeSeq, 100)).map((c) => [c.name, c.op]),
        [
          ['src/', 'delete'],
          ['dst/', 'put'],
        ],
      );
      assert.deepEqual(
        (await store.changesSince(dst.id, 0, 100)).map((c) => [c.seq, c.name, c.op]),
        [[1, 'moved/', 'put']],
      );
    });

    it("change feed: a change in a collection records the collection in its parent's feed, up to the home; a property patch of a collection too (RFC 6578 §3.5.1)", async () => {
      const outer = await mkcol(`${HOME}/outer`);
      const inner = await mkcol(`${HOME}/outer/inner`);
      const [homeSeq, outerSeq] = [(await get(HOME)).syncSeq, (await get(`${HOME}/outer`)).syncSeq];
      await put(`${HOME}/outer/inner/x.ics`, 'x', { origin: 'dev' });
      assert.deepEqual(
        (await store.changesSince(inner.id, 0, 10)).map((c) => [c.name, c.op, c.origin]),
        [['x.ics', 'put', 'dev']],
      );
      assert.deepEqual(
        (await store.changesSince(outer.id, outerSeq, 10)).map((c) => [c.name, c.op, c.origin]),
        [['inner/', 'put', 'dev']],
      );
      assert.deepEqual(
        (await store.changesSince(home.id, homeSeq, 10)).map((c) => [c.name, c.op, c.origin]),
        [['outer/', 'put', 'dev']],
      );
      const seqAfterPut = (await get(HOME)).syncSeq;
      await tx((t) =>
        t.patchProperties(
          outer.id,
          [{ name: '{DAV:}displayname', xml: '<displayname xmlns="DAV:">Outer</displayname>' }],
          [],
        ),
      );
      assert.deepEqual(
        (await store.changesSince(home.id, seqAfterPut, 10)).map((c) => [c.name, c.op]),
        [['outer/', 'put']],
      );
      assert.equal(
        (await get(`${HOME}/outer`)).syncSeq,
        outerSeq + 1,
        "a property patch does not move the collection's own feed",
      );
    });

    it("moveResource: an existing destination is 'exists', a missing source 'not-found', a missing destination parent 'conflict'", async () => {
      await put(`${HOME}/a`);
      await put(`${HOME}/b`);
      await rejectsWith(
        tx((t) => t.moveResource(`${HOME}/a`, `${HOME}/b`)),
        'exists',
      );
      await rejectsWith(
        tx((t) => t.moveResource(`${HOME}/ghost`, `${HOME}/c`)),
        'not-found',
      );
      await rejectsWith(
        tx((t) => t.moveResource(`${HOME}/a`, `${HOME}/none/c`)),
        'conflict',
      );
      assert.ok(await store.getResource(`${HOME}/a`));
    });

    it("moveResource: moving a collection into its own subtree is StoreError 'conflict' and changes nothing", async () => {
      await mkcol(`${HOME}/a`);
      await mkcol(`${HOME}/a/b`);
      await rejectsWith(
        tx((t) => t.moveResource(`${HOME}/a`, `${HOME}/a/b/c`)),
        'conflict',
      );
      assert.deepEqual(
        (await store.listDescendants(HOME)).map((r) => r.path),
        [`${HOME}/a`, `${HOME}/a/b`],
      );
    });
  });
}
