/** Store conformance cases: locks. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOME, store, tx, lock } from './fixture.js';

export function lockCases(): void {
  describe('locks', () => {
    it('locks: createLock / getLock round-trip every field', async () => {
      const now = Date.now();
      const l = lock(`${HOME}/doc`, {
        token: 'opaquelocktoken:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
        depth: 'infinity',
        scope: 'shared',
        ownerXml: '<D:owner xmlns:D="DAV:"><D:href>mailto:ålice@example.org</D:href></D:owner>',
        timeoutSeconds: null,
        expiresAt: now + 10 * 365 * 86_400_000,
        createdAt: now,
      });
      await tx((t) => t.createLock(l));
      assert.deepEqual(await store.getLock(l.token, now), l);
      const l0 = lock(`${HOME}/doc2`, { depth: 0, scope: 'exclusive', timeoutSeconds: 3600 });
      await tx((t) => t.createLock(l0));
      assert.deepEqual(await store.getLock(l0.token, now), l0);
      assert.equal(await store.getLock('urn:uuid:unknown', now), null);
    });

    it('locks: locksCovering sees a lock on the path and depth-infinity locks on ancestors, not depth-0 ones', async () => {
      const now = Date.now();
      const inf = lock(`${HOME}/a`, { depth: 'infinity' });
      const zero = lock(`${HOME}/a/b`, { depth: 0 });
      const self = lock(`${HOME}/a/b/c.ics`, { depth: 0 });
      const lookalike = lock(`${HOME}/a/b c`, { depth: 'infinity' });
      await tx(async (t) => {
        for (const l of [inf, zero, self, lookalike]) await t.createLock(l);
      });
      const tokens = async (p: string) => (await store.locksCovering(p, now)).map((l) => l.token).sort();
      assert.deepEqual(await tokens(`${HOME}/a/b/c.ics`), [inf.token, self.token].sort());
      assert.deepEqual(await tokens(`${HOME}/a/b/other.ics`), [inf.token]);
      assert.deepEqual(await tokens(`${HOME}/a/b`), [inf.token, zero.token].sort());
      assert.deepEqual(await tokens(`${HOME}/a/b c/x`), [inf.token, lookalike.token].sort());
      assert.deepEqual(await tokens(`${HOME}/a`), [inf.token]);
      assert.deepEqual(await tokens(HOME), []);
      assert.deepEqual(await tokens(`${HOME}/ab`), []);
      assert.deepEqual(await tokens('/files'), []);
    });

    it('locks: locksCovering with parentToo adds any lock on the parent (RFC 4918 §7.4 membership), in one read', async () => {
      const now = Date.now();
      const inf = lock(`${HOME}/a`, { depth: 'infinity' });
      const zero = lock(`${HOME}/a/b`, { depth: 0 });
      const sibling = lock(`${HOME}/a/b/d.ics`, { depth: 0 });
      await tx(async (t) => {
        for (const l of [inf, zero, sibling]) await t.createLock(l);
      });
      const tokens = async (p: string) => (await store.locksCovering(p, now, true)).map((l) => l.token).sort();
      assert.deepEqual(await tokens(`${HOME}/a/b/c.ics`), [inf.token, zero.token].sort());
      assert.deepEqual(await tokens(`${HOME}/a/b/d.ics`), [inf.token, zero.token, sibling.token].sort());
      assert.deepEqual(await tokens(`${HOME}/a/x`), [inf.token]);
      assert.deepEqual(await tokens(`${HOME}/z`), []);
      assert.deepEqual(await tokens(HOME), []);
    });

    it('locks: expired locks are invisible to getLock, locksCovering and locksWithin', async () => {
      const now = Date.now();
      const expired = lock(`${HOME}/x`, { depth: 'infinity', expiresAt: now - 1 });
      const atNow = lock(`${HOME}/y`, { expiresAt: now });
      const live = lock(`${HOME}/z`, { expiresAt: now + 1 });
      await tx(async (t) => {
        for (const l of [expired, atNow, live]) await t.createLock(l);
      });
      assert.equal(await store.getLock(expired.token, now), null);
      assert.equal(await store.getLock(atNow.token, now), null, 'a lock expiring at `now` has expired');
      assert.deepEqual(await store.getLock(live.token, now), live);
      assert.deepEqual(await store.locksCovering(`${HOME}/x/child`, now), []);
      assert.deepEqual(await store.locksCovering(`${HOME}/y`, now), []);
      assert.deepEqual(
        (await store.locksWithin(HOME, now)).map((l) => l.token),
        [live.token],
      );
      assert.deepEqual(await store.getLock(expired.token, now - 10), expired, 'seen from before its expiry');
    });

    it('locks: locksWithin lists locks rooted at the path or below it, not at `/a/b c` or ancestors', async () => {
      const now = Date.now();
      const ls = [lock(`${HOME}/a/b`), lock(`${HOME}/a/b/c`), lock(`${HOME}/a/b/c/d`, { depth: 'infinity' })];
      const outside = [
        lock(`${HOME}/a/b c`),
        lock(`${HOME}/a/b0`),
        lock(`${HOME}/a`, { depth: 'infinity' }),
        lock(`${HOME}/a/bc`),
      ];
      await tx(async (t) => {
        for (const l of [...ls, ...outside]) await t.createLock(l);
      });
      assert.deepEqual(
        (await store.locksWithin(`${HOME}/a/b`, now)).map((l) => l.token).sort(),
        ls.map((l) => l.token).sort(),
      );
      assert.deepEqual(
        (await store.locksWithin(`${HOME}/a/b/c/d`, now)).map((l) => l.token),
        [ls[2]!.token],
      );
      assert.deepEqual(await store.locksWithin(`${HOME}/q`, now), []);
    });

    it('locks: refreshLock sets a new timeout and expiry; deleteLock removes the lock', async () => {
      const now = Date.now();
      const l = lock(`${HOME}/r`, { timeoutSeconds: 10, expiresAt: now + 10_000 });
      await tx((t) => t.createLock(l));
      await tx((t) => t.refreshLock(l.token, 3600, now + 3_600_000));
      assert.deepEqual(await store.getLock(l.token, now + 60_000), {
        ...l,
        timeoutSeconds: 3600,
        expiresAt: now + 3_600_000,
      });
      await tx((t) => t.refreshLock(l.token, null, now + 5_000));
      assert.deepEqual(await store.getLock(l.token, now), { ...l, timeoutSeconds: null, expiresAt: now + 5_000 });
      assert.equal(await store.getLock(l.token, now + 60_000), null);
      await tx((t) => t.deleteLock(l.token));
      assert.equal(await store.getLock(l.token, 0), null);
      assert.deepEqual(await store.locksCovering(`${HOME}/r`, 0), []);
      await tx((t) => t.deleteLock(l.token)); // deleting twice is harmless
    });
  });
}
