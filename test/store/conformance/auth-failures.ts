/** Store conformance cases: auth failures (domain/throttle.ts). Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Boom, store, tx } from './fixture.js';

export function authFailureCases(): void {
  describe('auth failures (domain/throttle.ts)', () => {
    it('recordAuthFailure counts per subject atomically, restarts after forgetBefore, and is shared through the store', async () => {
      const t0 = 1_000_000;
      assert.deepEqual(await store.getAuthFailures(['user:alice']), []);
      assert.deepEqual(await tx((t) => t.recordAuthFailure('user:alice', t0, 0), ['throttle']), {
        subject: 'user:alice',
        failures: 1,
        lastFailureAt: t0,
      });
      assert.equal((await tx((t) => t.recordAuthFailure('user:alice', t0 + 10, t0 - 100), ['throttle'])).failures, 2);
      await tx((t) => t.recordAuthFailure('addr:192.0.2.1', t0 + 20, 0), ['throttle']);
      assert.deepEqual(await store.getAuthFailures(['user:alice', 'addr:192.0.2.1', 'user:nobody']), [
        { subject: 'addr:192.0.2.1', failures: 1, lastFailureAt: t0 + 20 },
        { subject: 'user:alice', failures: 2, lastFailureAt: t0 + 10 },
      ]);
      // The last failure (t0 + 10) is before forgetBefore: the count starts again.
      assert.deepEqual(await tx((t) => t.recordAuthFailure('user:alice', t0 + 5000, t0 + 11), ['throttle']), {
        subject: 'user:alice',
        failures: 1,
        lastFailureAt: t0 + 5000,
      });
    });

    it('concurrent failures of one subject are all counted', async () => {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          tx((t) => t.recordAuthFailure('user:alice', 2_000 + i, 0), ['throttle:user:alice']),
        ),
      );
      assert.equal((await store.getAuthFailures(['user:alice']))[0]?.failures, 10);
    });

    it('clearAuthFailures forgets one subject; pruneAuthFailures drops every count older than a time', async () => {
      await tx(
        async (t) => {
          await t.recordAuthFailure('user:a', 100, 0);
          await t.recordAuthFailure('user:b', 200, 0);
          await t.recordAuthFailure('user:c', 300, 0);
        },
        ['throttle'],
      );
      await tx((t) => t.clearAuthFailures('user:a'), ['throttle']);
      assert.equal(await tx((t) => t.pruneAuthFailures(250), ['throttle']), 1);
      assert.deepEqual(
        (await store.getAuthFailures(['user:a', 'user:b', 'user:c'])).map((f) => f.subject),
        ['user:c'],
      );
    });

    it('rolls back with its transaction', async () => {
      await assert.rejects(
        tx(
          async (t) => {
            await t.recordAuthFailure('user:alice', 1, 0);
            throw new Boom();
          },
          ['throttle'],
        ),
        Boom,
      );
      assert.deepEqual(await store.getAuthFailures(['user:alice']), []);
    });
  });
}
