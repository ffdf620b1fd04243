/** Store conformance cases: the outbound iTIP queue (migration 11). Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alice, store, tx } from './fixture.js';

export function outboundItipCases(): void {
  describe('outbound iTIP queue (migration 11)', () => {
    const msg = (recipient: string, createdAt = 1000) => ({
      recipient,
      method: 'REQUEST',
      icsText: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
      organizer: 'mailto:alice@example.com',
      senderUserId: alice.id,
      createdAt,
    });

    it('outbound iTIP: enqueue, pending and get round-trip; a claim leases, a retry waits, sent and failed leave the queue', async () => {
      const a = await tx((t) => t.enqueueItip(msg('mailto:x@example.org')));
      const b = await tx((t) => t.enqueueItip(msg('mailto:y@example.org', 1001)));
      assert.deepEqual(
        (await store.pendingItip(10)).map((m) => m.recipient),
        ['mailto:x@example.org', 'mailto:y@example.org'],
      );
      assert.deepEqual(await store.getItip(a), {
        ...msg('mailto:x@example.org'),
        id: a,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: 1000,
        lastError: null,
      });
      const claimed = await tx((t) => t.claimItip('n1', 2000, 62_000, 10));
      assert.deepEqual(
        claimed.map((m) => [m.id, m.attempts]),
        [
          [a, 1],
          [b, 1],
        ],
      );
      assert.deepEqual(
        await tx((t) => t.claimItip('n2', 3000, 63_000, 10)),
        [],
        'leased messages are not claimed again',
      );
      await tx((t) => t.markItip(a, { ok: true }, 4000));
      await tx((t) => t.markItip(b, { ok: false, error: 'greylisted', retryAt: 100_000 }, 4000));
      assert.equal((await store.getItip(a))?.state, 'sent');
      assert.deepEqual(await tx((t) => t.claimItip('n2', 99_999, 200_000, 10)), []);
      const again = await tx((t) => t.claimItip('n2', 100_000, 200_000, 10));
      assert.deepEqual(
        again.map((m) => [m.id, m.attempts, m.lastError]),
        [[b, 2, 'greylisted']],
      );
      await tx((t) => t.markItip(b, { ok: false, error: '550 no such user', retryAt: null }, 5000));
      assert.deepEqual(await store.pendingItip(10), []);
      assert.equal((await store.getItip(b))?.state, 'failed');
    });

    it('outbound iTIP: concurrent claims from transactions with different lock keys never share a message', async () => {
      for (let i = 0; i < 6; i++) await tx((t) => t.enqueueItip(msg(`mailto:r${i}@example.org`)));
      const got = await Promise.all(
        ['n1', 'n2', 'n3'].map((holder, i) =>
          store.transaction([`/claim-${i}`], (t) => t.claimItip(holder, 2000, 60_000, 4)),
        ),
      );
      const ids = got.flat().map((m) => m.id);
      assert.equal(ids.length, 6);
      assert.equal(new Set(ids).size, 6);
    });
  });
}
