import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/store.js';
import type { User } from '../store/types.js';
import { prefetchedFor, RequestPrefetch } from './request-prefetch.js';

describe('a DAV request read ahead while its credentials are checked (issue #20)', () => {
  let dir: string;
  let store: Store;
  let alice: User;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-prefetch-'));
    store = openSqliteStore(join(dir, 'almanac.sqlite'));
    alice = await store.transaction(['/calendars/alice'], async (tx) => {
      const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
      await tx.createCollection('/calendars/alice', { ownerId: u.id, home: true });
      await tx.createCollection('/calendars/alice/default', { ownerId: u.id, collectionType: 'calendar' });
      return u;
    });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads nothing for a name no request authenticated as', () => {
    const prefetch = new RequestPrefetch();
    assert.equal(prefetch.start(store, 'alice', '/dav/calendars/alice/default/'), null);
    assert.equal(prefetch.start(store, null, '/dav/calendars/alice/default/'), null);
    prefetch.learn('ALICE', alice); // authenticated under another spelling: not this name's
    assert.equal(prefetch.start(store, 'ALICE', '/dav/calendars/alice/default/'), null);
  });

  it("reads a known user's grants, and the target only in that user's own area", async () => {
    const prefetch = new RequestPrefetch();
    prefetch.learn('alice', alice);
    const own = prefetch.start(store, 'alice', '/dav/calendars/alice/default/');
    assert.ok(own);
    assert.equal(own.userId, alice.id);
    assert.deepEqual(await own.grants, []);
    assert.equal((await own.target)?.path, '/calendars/alice/default');
    assert.equal(prefetch.start(store, 'alice', '/dav/calendars/bob/')?.target, null, "another user's area");
  });

  it('serves only a request that authenticated as that very user (same id and name)', () => {
    const prefetch = new RequestPrefetch();
    prefetch.learn('alice', alice);
    const read = prefetch.start(store, 'alice', '/dav/calendars/alice/');
    assert.equal(prefetchedFor(alice, read), read);
    assert.equal(prefetchedFor({ ...alice, id: alice.id + 1 }, read), null, 'the name now belongs to another account');
    assert.equal(prefetchedFor({ ...alice, name: 'alice2' }, read), null);
    assert.equal(prefetchedFor(alice, null), null);
  });
});
