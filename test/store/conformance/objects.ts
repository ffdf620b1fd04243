/** Store conformance cases: objects. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../../../src/store/types.js';
import { bytes, same, rejectsWith, byteOrder, HOME, store, alice, home, tx, put, mkcol, get } from './fixture.js';

export function objectCases(): void {
  describe('objects', () => {
    it('putObject: create then replace (created flag, same id, metadata and index replaced)', async () => {
      const before = Date.now();
      const first = await tx((t) =>
        t.putObject(`${HOME}/e.ics`, {
          ownerId: alice.id,
          body: bytes('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'),
          contentType: 'text/calendar; charset=utf-8',
          etag: '"v1"',
          index: {
            uid: 'uid-1@example.org',
            component: 'VEVENT',
            firstStart: 1_700_000_000_000,
            lastEnd: 1_700_003_600_000,
          },
        }),
      );
      assert.equal(first.created, true);
      const r = first.resource;
      assert.equal(r.path, `${HOME}/e.ics`);
      assert.equal(r.parentId, home.id);
      assert.equal(r.isCollection, false);
      assert.equal(r.ownerId, alice.id);
      assert.equal(r.contentType, 'text/calendar; charset=utf-8');
      assert.equal(r.size, 32);
      assert.equal(r.etag, '"v1"');
      assert.equal(r.uid, 'uid-1@example.org');
      assert.equal(r.component, 'VEVENT');
      assert.equal(r.firstStart, 1_700_000_000_000);
      assert.equal(r.lastEnd, 1_700_003_600_000);
      assert.ok(r.createdAt >= before && r.modifiedAt >= r.createdAt);
      assert.deepEqual(await store.getResource(r.path), r);
      assert.deepEqual(await store.getResourceById(r.id), r);

      const second = await tx((t) =>
        t.putObject(`${HOME}/e.ics`, {
          ownerId: alice.id,
          body: bytes('v2'),
          contentType: 'text/vcard',
          etag: '"v2"',
        }),
      );
      assert.equal(second.created, false);
      const r2 = second.resource;
      assert.equal(r2.id, r.id);
      assert.equal(r2.createdAt, r.createdAt);
      assert.ok(r2.modifiedAt >= r.modifiedAt);
      assert.equal(r2.size, 2);
      assert.equal(r2.etag, '"v2"');
      assert.equal(r2.contentType, 'text/vcard');
      assert.deepEqual(
        [r2.uid, r2.component, r2.firstStart, r2.lastEnd],
        [null, null, null, null],
        'omitted index is cleared',
      );
      same(await store.readBody(r.id), bytes('v2'));
      assert.deepEqual(await store.getResource(r.path), r2);
    });

    it('putObject: index columns round-trip nulls, far-future, pre-1970 and unicode values', async () => {
      const cases = [
        { uid: null, component: null, firstStart: null, lastEnd: null },
        { uid: 'ü-ñ-😀', component: 'VTODO', firstStart: -86_400_000 * 365 * 100, lastEnd: 253_402_300_799_999 },
        { uid: 'x', component: 'VCARD', firstStart: 0, lastEnd: null },
      ];
      for (const [i, index] of cases.entries()) {
        const { resource } = await put(`${HOME}/i${i}`, 'b', { index });
        const back = await get(`${HOME}/i${i}`);
        for (const r of [resource, back]) {
          assert.deepEqual(
            [r.uid, r.component, r.firstStart, r.lastEnd],
            [index.uid, index.component, index.firstStart, index.lastEnd],
          );
        }
      }
    });

    it('putObject: bodies round-trip byte for byte (binary, empty, plain Uint8Array, views with an offset)', async () => {
      const all = new Uint8Array(256 * 4).map((_, i) => i % 256);
      const backing = Buffer.from('0123456789abcdef');
      const bodies: [string, Uint8Array][] = [
        ['binary', all],
        ['empty', new Uint8Array(0)],
        ['empty-buffer', Buffer.alloc(0)],
        ['nul-and-utf8', bytes('a\u0000b\u00e9\u{1F600}')],
        ['view', backing.subarray(4, 9)],
        ['u8-view', new Uint8Array(backing.buffer, backing.byteOffset + 10, 3)],
        ['large', new Uint8Array(1024 * 1024).map((_, i) => (i * 7) % 251)],
      ];
      for (const [n, body] of bodies) {
        const { resource } = await put(`${HOME}/${n}.bin`, body, { contentType: 'application/octet-stream' });
        assert.equal(resource.size, body.byteLength, `${n}: size`);
        const back = await store.readBody(resource.id);
        assert.ok(back instanceof Uint8Array, `${n}: readBody returns bytes`);
        same(back, body, `${n}: body`);
        same(await tx((t) => t.readBody(resource.id)), body, `${n}: body inside a transaction`);
      }
      const nulType = await put(`${HOME}/no-type`, 'x', { contentType: null });
      assert.equal(nulType.resource.contentType, null);
    });

    it("putObject: a missing parent, an object as parent or a collection at the path is StoreError 'conflict'", async () => {
      await rejectsWith(put(`${HOME}/nope/e.ics`), 'conflict');
      await put(`${HOME}/file`);
      await rejectsWith(put(`${HOME}/file/e.ics`), 'conflict');
      await mkcol(`${HOME}/coll`);
      await rejectsWith(put(`${HOME}/coll`), 'conflict');
      assert.equal((await get(`${HOME}/coll`)).isCollection, true);
    });

    it("readBody: an unknown id is StoreError 'not-found'", async () => {
      await rejectsWith(store.readBody(999_999), 'not-found');
    });

    it('listChildren: direct members only, ordered by path in byte order', async () => {
      const names = ['b', 'a.ics', 'B.ics', 'b c', 'b-1.ics', 'é.ics', '~.ics', 'b0', 'Z', '_'];
      await mkcol(`${HOME}/b`);
      for (const n of names) if (n !== 'b') await put(`${HOME}/${n}`);
      await put(`${HOME}/b/inner.ics`);
      const kids = await store.listChildren(home.id);
      assert.deepEqual(
        kids.map((k) => k.path),
        names.map((n) => `${HOME}/${n}`).sort(byteOrder),
      );
      for (const k of kids) assert.equal(k.parentId, home.id);
      assert.deepEqual(
        (await store.listChildren((await get(`${HOME}/b`)).id)).map((k) => k.path),
        [`${HOME}/b/inner.ics`],
      );
      const empty = await mkcol(`${HOME}/empty`);
      assert.deepEqual(await store.listChildren(empty.id), []);
    });

    it('listChildrenPage: pages through listChildren in byte order, no member twice or missing', async () => {
      const names = [
        'b',
        'a.ics',
        'B.ics',
        'b c',
        'b-1.ics',
        'é.ics',
        '~.ics',
        'b0',
        'Z',
        '_',
        '\u{1F600}.ics',
        '\uFFFD.ics',
      ];
      await mkcol(`${HOME}/b`);
      for (const n of names) if (n !== 'b') await put(`${HOME}/${n}`);
      await put(`${HOME}/b/inner.ics`);
      const all = (await store.listChildren(home.id)).map((k) => k.path);
      for (const size of [1, 3, 5, 100]) {
        const paged: string[] = [];
        let after: string | null = null;
        for (let guard = 0; guard < 100; guard++) {
          const page: Resource[] = await store.listChildrenPage(home.id, after, size);
          assert.ok(page.length <= size, `page of ${size} holds at most ${size}`);
          paged.push(...page.map((k) => k.path));
          if (page.length < size) break;
          after = page[page.length - 1]?.path ?? null;
        }
        assert.deepEqual(paged, all, `pages of ${size}`);
      }
      assert.deepEqual(await store.listChildrenPage(home.id, all[all.length - 1] ?? null, 10), []);
    });

    it('readBodies: the bodies of existing ids in one call, unknown ids left out, duplicates once', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 620; i++)
        ids.push(
          (await put(`${HOME}/r${i}.bin`, `body ${i}`, { contentType: 'application/octet-stream' })).resource.id,
        );
      const bodies = await store.readBodies([...ids, ids[0] ?? 0, 999_999]);
      assert.equal(bodies.size, ids.length);
      ids.forEach((id, i) => same(bodies.get(id) ?? new Uint8Array(), bytes(`body ${i}`), `body ${i}`));
      assert.equal(bodies.has(999_999), false);
      assert.equal((await store.readBodies([])).size, 0);
    });

    it('listDescendants: strictly below the path, parents before children; `/a/b c` is not below `/a/b`', async () => {
      await mkcol(`${HOME}/b`);
      await mkcol(`${HOME}/b/c`);
      await put(`${HOME}/b/c/d.ics`);
      await put(`${HOME}/b/c d.ics`);
      await put(`${HOME}/b/x.ics`);
      for (const n of ['b c', 'b-x', 'b.x', 'b0', 'bc', 'a', 'b!']) await put(`${HOME}/${n}`);
      const below = (await store.listDescendants(`${HOME}/b`)).map((r) => r.path);
      assert.deepEqual(below, [`${HOME}/b/c`, `${HOME}/b/c d.ics`, `${HOME}/b/c/d.ics`, `${HOME}/b/x.ics`]);
      const seen = new Set<string>();
      for (const p of below) {
        const parent = p.slice(0, p.lastIndexOf('/'));
        if (parent !== `${HOME}/b`) assert.ok(seen.has(parent), `${parent} listed before ${p}`);
        seen.add(p);
      }
      assert.deepEqual(await store.listDescendants(`${HOME}/b/x.ics`), []);
      assert.deepEqual(await store.listDescendants(`${HOME}/nothing`), []);
      const all = (await store.listDescendants(HOME)).map((r) => r.path);
      assert.deepEqual(all, [...all].sort(byteOrder));
      assert.equal(all.length, 12);
    });
  });
}
