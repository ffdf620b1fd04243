/** Store conformance cases: derived calendars and .ics subscriptions (migration 10). Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CalendarSubscription } from '../../../src/store/types.js';
import { HOME, store, alice, tx, put, get } from './fixture.js';

export function subscriptionCases(): void {
  describe('derived calendars and .ics subscriptions (migration 10)', () => {
    const sub = (collectionId: number, over: Partial<CalendarSubscription> = {}): CalendarSubscription => ({
      collectionId,
      ownerId: alice.id,
      url: 'https://example.org/feed.ics',
      refreshSeconds: 3600,
      etag: null,
      lastModified: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastError: null,
      nextRefreshAt: 1000,
      ...over,
    });

    it('derived: a derived collection marks itself and every member written into it; others stay null', async () => {
      const coll = await tx((t) => t.createCollection(`${HOME}/feed`, { ownerId: alice.id, derived: 'subscription' }));
      assert.equal(coll.derived, 'subscription');
      const member = (await put(`${HOME}/feed/a.ics`)).resource;
      assert.equal(member.derived, 'subscription');
      assert.equal((await get(`${HOME}/feed/a.ics`)).derived, 'subscription');
      assert.equal((await put(`${HOME}/plain`)).resource.derived, null);
      assert.equal((await store.listChildren(coll.id))[0]?.derived, 'subscription');
    });

    it('subscriptions: put, get, list, due; the row goes with its collection', async () => {
      const coll = await tx((t) => t.createCollection(`${HOME}/feed`, { ownerId: alice.id, derived: 'subscription' }));
      await tx((t) => t.putSubscription(sub(coll.id)));
      assert.deepEqual(await store.getSubscription(coll.id), sub(coll.id));
      await tx((t) =>
        t.putSubscription(sub(coll.id, { etag: '"e"', lastError: 'boom', lastAttemptAt: 5, nextRefreshAt: 2000 })),
      );
      assert.equal((await store.getSubscription(coll.id))?.lastError, 'boom');
      assert.deepEqual(
        (await store.listSubscriptions(alice.id)).map((x) => x.collectionId),
        [coll.id],
      );
      assert.deepEqual(await store.dueSubscriptions(1999, 10), []);
      assert.deepEqual(
        (await store.dueSubscriptions(2000, 10)).map((x) => x.etag),
        ['"e"'],
      );
      await tx((t) => t.deleteResource(`${HOME}/feed`));
      assert.equal(await store.getSubscription(coll.id), null);
    });

    it('subscriptions: one lease at a time, even from concurrent transactions with different lock keys; leased feeds are not due', async () => {
      const coll = await tx((t) => t.createCollection(`${HOME}/feed`, { ownerId: alice.id, derived: 'subscription' }));
      await tx((t) => t.putSubscription(sub(coll.id)));
      const won = await Promise.all(
        ['n1', 'n2', 'n3'].map((holder, i) =>
          store.transaction([`/lease-${i}`], (t) => t.leaseSubscription(coll.id, holder, 5000, 65_000)),
        ),
      );
      assert.equal(won.filter(Boolean).length, 1);
      assert.deepEqual(await store.dueSubscriptions(6000, 10), []);
      const holder = ['n1', 'n2', 'n3'][won.indexOf(true)]!;
      const other = holder === 'n1' ? 'n2' : 'n1';
      await tx((t) => t.releaseSubscription(coll.id, other)); // not its lease: nothing happens
      assert.equal(await tx((t) => t.leaseSubscription(coll.id, other, 6000, 66_000)), false);
      assert.equal(
        await tx((t) => t.leaseSubscription(coll.id, other, 70_000, 130_000)),
        true,
        'an expired lease can be taken',
      );
      await tx((t) => t.releaseSubscription(coll.id, other));
      assert.deepEqual(
        (await store.dueSubscriptions(6000, 10)).map((x) => x.collectionId),
        [coll.id],
      );
    });
  });
}
