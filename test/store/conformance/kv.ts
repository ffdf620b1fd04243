/** Store conformance cases: kv values. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { store, tx } from './fixture.js';

export function kvCases(): void {
  describe('kv values', () => {
    it('kv: set, get, overwrite, expiry and delete; namespaces are separate', async () => {
      const now = Date.now();
      await tx(async (t) => {
        await t.setValue('session', 'k', 'v1', null);
        await t.setValue('nonce', 'k', 'other', now + 1000);
      });
      assert.equal(await store.getValue('session', 'k', now), 'v1');
      assert.equal(
        await store.getValue('session', 'k', now + 10 * 365 * 86_400_000),
        'v1',
        'null expiry never expires',
      );
      assert.equal(await store.getValue('nonce', 'k', now), 'other');
      assert.equal(await store.getValue('nonce', 'k', now + 1000), null, 'expired at expiresAt');
      assert.equal(await store.getValue('nonce', 'missing', now), null);
      await tx((t) => t.setValue('session', 'k', 'v2 ü 😀', now + 50));
      assert.equal(await store.getValue('session', 'k', now), 'v2 ü 😀');
      assert.equal(await store.getValue('session', 'k', now + 50), null);
      await tx((t) => t.setValue('session', 'k', 'v3', null));
      assert.equal(await store.getValue('session', 'k', now + 50), 'v3', 'overwriting resets the expiry');
      await tx((t) => t.deleteValue('session', 'k'));
      assert.equal(await store.getValue('session', 'k', now), null);
      assert.equal(await store.getValue('nonce', 'k', now), 'other');
      await tx((t) => t.deleteValue('session', 'k'));
    });
  });
}
