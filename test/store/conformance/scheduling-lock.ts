/**
 * Store conformance cases: the scheduling lock (RFC 6638 §3.2 on several nodes,
 * SchedulingLockWriter) and claims of the outbound iTIP queue that run at the same time.
 * Registered by index.ts; each case runs on a fresh store. On SQLite the one writer runs
 * transactions one at a time, so these hold by construction; on PostgreSQL they prove the lock.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { alice, store, tx } from './fixture.js';

/**
 * How long the first of two overlapping transactions stays open. The cases pass whatever the
 * timing; this only makes the second one start while the first is still open, so that on
 * PostgreSQL they would fail without the lock (or SKIP LOCKED).
 */
const HOLD_MS = 100;

/** Run `first` until it calls its `ready`, then start `second` (with other lock keys); both results. */
async function overlapping<A, B>(first: (ready: () => void) => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  // Two connections open beforehand (a PostgreSQL pool opens them on demand, which can take longer than HOLD_MS).
  await Promise.all([store.getValue('warm', 'a', 0), store.getValue('warm', 'b', 0)]);
  let ready = (): void => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const a = first(ready);
  await started;
  return Promise.all([a, second()]);
}

export function schedulingLockCases(): void {
  describe('scheduling lock', () => {
    it('scheduling lock: a transaction locking a UID another holds goes on only after that one committed, and reads what it wrote', async () => {
      const [, seen] = await overlapping(
        (ready) =>
          tx(
            async (t) => {
              await t.lockSchedulingObjects(['event-1@example.com']);
              ready();
              await delay(HOLD_MS);
              await t.setValue('copy', 'event-1', 'written under the lock', null);
            },
            ['/calendars/alice'],
          ),
        () =>
          tx(
            async (t) => {
              await t.lockSchedulingObjects(['event-1@example.com']);
              return t.getValue('copy', 'event-1', 0);
            },
            ['/calendars/bob'],
          ),
      );
      assert.equal(seen, 'written under the lock');
    });

    it('scheduling lock: taking UIDs the transaction already holds resolves false and does not wait', async () => {
      const again = await tx(async (t) => {
        await t.lockSchedulingObjects(['a', 'b']);
        return [await t.lockSchedulingObjects(['b', 'a']), await t.lockSchedulingObjects(['a'])];
      });
      assert.deepEqual(again, [false, false]);
    });

    it('scheduling lock: released at rollback; the next transaction takes it', async () => {
      await assert.rejects(
        tx(async (t) => {
          await t.lockSchedulingObjects(['u']);
          throw new Error('rolled back');
        }),
      );
      await tx((t) => t.lockSchedulingObjects(['u']), ['/elsewhere']);
    });

    it('outbound iTIP: a claim while another claim is still open takes the other due messages, never the same ones', async () => {
      for (let i = 0; i < 4; i++)
        await tx((t) =>
          t.enqueueItip({
            recipient: `mailto:r${i}@example.org`,
            method: 'REQUEST',
            icsText: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
            organizer: 'mailto:alice@example.org',
            senderUserId: alice.id,
            createdAt: 1000,
          }),
        );
      const [first, second] = await overlapping(
        (ready) =>
          store.transaction([], async (t) => {
            const got = await t.claimItip('node-a', 2000, 60_000, 2);
            ready();
            await delay(HOLD_MS);
            return got;
          }),
        () => store.transaction([], (t) => t.claimItip('node-b', 2000, 60_000, 2)),
      );
      assert.equal(first.length, 2);
      assert.equal(second.length, 2, 'the second node is not left empty-handed');
      assert.equal(new Set([...first, ...second].map((m) => m.id)).size, 4);
    });
  });
}
