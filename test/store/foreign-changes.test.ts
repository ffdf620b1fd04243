/**
 * Store.foreignChanges on SQLite: two stores on one file stand for two processes (each has
 * its own connections). What one commits, the other reports by collection; its own writes it
 * does not (they are announced after commit by push/notifying-store).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';

const body = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('store: writes of another process sharing the SQLite file (foreignChanges)', () => {
  let dir: string;
  let server: Store;
  let other: Store;
  let ownerId: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-foreign-'));
    server = openSqliteStore(join(dir, 'almanac.sqlite'));
    other = openSqliteStore(join(dir, 'almanac.sqlite'));
    ownerId = await server.transaction(['/u'], async (t) => {
      const u = await t.createUser({ name: 'alice', passwordHash: 'x', email: null, displayName: null });
      await t.createCollection('/calendars/alice', { ownerId: u.id, home: true });
      await t.createCollection('/calendars/alice/a', { ownerId: u.id, collectionType: 'calendar' });
      await t.createCollection('/calendars/alice/b', { ownerId: u.id, collectionType: 'calendar' });
      return u.id;
    });
  });
  after(async () => {
    await server.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (store: Store, path: string): Promise<unknown> =>
    store.transaction(['/calendars/alice'], (t) =>
      t.putObject(path, {
        ownerId,
        body: body(path),
        contentType: 'text/calendar',
        etag: `"${path}"`,
        index: { component: 'VEVENT', uid: path, firstStart: null, lastEnd: null },
      }),
    );

  it('a null cursor takes one and reports nothing; nothing moved, nothing reported', async () => {
    const first = await server.foreignChanges(null);
    assert.deepEqual(first.collections, []);
    const again = await server.foreignChanges(first.cursor);
    assert.deepEqual(again.collections, []);
  });

  it('reports each collection another store wrote to, once; then nothing more', async () => {
    const { cursor } = await server.foreignChanges(null);
    await put(other, '/calendars/alice/a/1.ics');
    await put(other, '/calendars/alice/a/2.ics');
    await put(other, '/calendars/alice/b/1.ics');
    const r = await server.foreignChanges(cursor);
    // The home's feed records each calendar whose etag moved (RFC 6578 §3.5.1), so it changed too.
    assert.deepEqual([...r.collections].sort(), ['/calendars/alice', '/calendars/alice/a', '/calendars/alice/b']);
    assert.deepEqual((await server.foreignChanges(r.cursor)).collections, []);
  });

  it('does not report its own writes', async () => {
    const { cursor } = await server.foreignChanges(null);
    await put(server, '/calendars/alice/a/own.ics');
    const r = await server.foreignChanges(cursor);
    assert.deepEqual(r.collections, []);
    await put(other, '/calendars/alice/b/2.ics');
    assert.deepEqual([...(await server.foreignChanges(r.cursor)).collections].sort(), [
      '/calendars/alice',
      '/calendars/alice/b',
    ]);
  });
});
