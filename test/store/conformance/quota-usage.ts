/**
 * Store conformance cases: the per-user usage counter (RFC 4331 DAV:quota-used-bytes; migration
 * 17). Every write moves `quotaUsed` by what it adds or frees — bodies and dead properties, in
 * UTF-8 bytes — inside its own transaction, and a rolled-back write moves nothing. Registered by
 * index.ts; each case runs on a fresh store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alice, Boom, HOME, mkcol, put, store, tx } from './fixture.js';

const usedBy = async (id = alice.id): Promise<number> => (await store.getUserById(id))?.quotaUsed ?? -1;
const prop = (name: string, text: string) => ({ name, xml: `<X:${name} xmlns:X="urn:x">${text}</X:${name}>` });
const size = (xml: string) => Buffer.byteLength(xml, 'utf8');

export function quotaUsageCases(): void {
  describe('quota usage', () => {
    it('quota usage: a new user uses 0; putObject adds the body, a replacement the difference, delete frees it', async () => {
      assert.equal(await usedBy(), 0);
      await put(`${HOME}/a.txt`, 'x'.repeat(100));
      assert.equal(await usedBy(), 100);
      await put(`${HOME}/a.txt`, 'é'.repeat(30));
      assert.equal(await usedBy(), 60, 'bytes, not characters');
      await put(`${HOME}/b.txt`, 'y'.repeat(40));
      assert.equal(await usedBy(), 100);
      await tx((t) => t.deleteResource(`${HOME}/a.txt`));
      assert.equal(await usedBy(), 40);
    });

    it('quota usage: dead properties count their XML; replacing and removing them move the counter back', async () => {
      const c = await mkcol(`${HOME}/c`);
      const p1 = prop('a', 'ünï');
      await tx((t) => t.patchProperties(c.id, [p1], []));
      assert.equal(await usedBy(), size(p1.xml));
      const p2 = prop('a', 'longer value');
      const p3 = prop('b', 'b');
      await tx((t) => t.patchProperties(c.id, [p2, p3], []));
      assert.equal(await usedBy(), size(p2.xml) + size(p3.xml));
      await tx((t) => t.patchProperties(c.id, [], ['a', 'missing']));
      assert.equal(await usedBy(), size(p3.xml));
      await tx((t) => t.patchProperties(c.id, [p1], ['b', 'a']));
      assert.equal(await usedBy(), size(p1.xml), 'removed first, then set');
    });

    it('quota usage: deleting a collection frees its whole subtree, per owner', async () => {
      const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'h' }));
      const c = await mkcol(`${HOME}/tree`);
      await tx((t) => t.patchProperties(c.id, [prop('p', 'v')], []));
      await put(`${HOME}/tree/a.txt`, 'a'.repeat(10));
      await put(`${HOME}/tree/b.txt`, 'b'.repeat(20), { ownerId: bob.id });
      assert.equal(await usedBy(bob.id), 20);
      await tx((t) => t.deleteResource(`${HOME}/tree`));
      assert.equal(await usedBy(), 0);
      assert.equal(await usedBy(bob.id), 0);
    });

    it('quota usage: a move keeps the usage; a rolled-back write moves nothing', async () => {
      await mkcol(`${HOME}/m`);
      await put(`${HOME}/m/a.txt`, 'z'.repeat(33));
      await tx((t) => t.moveResource(`${HOME}/m`, `${HOME}/n`));
      assert.equal(await usedBy(), 33);
      await assert.rejects(
        tx(async (t) => {
          await t.putObject(`${HOME}/n/big.txt`, {
            ownerId: alice.id,
            body: new Uint8Array(500),
            contentType: 'text/plain',
            etag: '"b"',
          });
          throw new Boom();
        }),
        Boom,
      );
      assert.equal(await usedBy(), 33);
    });

    it('quota usage: isAdmin and quotaBytes are kept by createUser and updateUser', async () => {
      assert.equal(alice.isAdmin, false);
      assert.equal(alice.quotaBytes, null);
      const root = await tx((t) => t.createUser({ name: 'root', passwordHash: 'h', isAdmin: true }));
      assert.equal(root.isAdmin, true);
      await tx((t) => t.updateUser(alice.id, { isAdmin: true, quotaBytes: 2 ** 40 }));
      const u = await store.getUserById(alice.id);
      assert.equal(u?.isAdmin, true);
      assert.equal(u?.quotaBytes, 2 ** 40);
      await tx((t) => t.updateUser(alice.id, { quotaBytes: null }));
      assert.equal((await store.getUserById(alice.id))?.quotaBytes, null);
    });
  });
}
