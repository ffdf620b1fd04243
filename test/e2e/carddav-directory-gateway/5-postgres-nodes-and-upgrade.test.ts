/**
 * The directory address book where several writers meet it: users and groups made at once on two
 * PostgreSQL stores (two nodes) each land in it exactly once, the first ones racing to make the
 * book; and a server whose users predate it makes it, with everyone, at start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addUser } from '../../../src/domain/accounts/admin.js';
import { addGroup, setGroupMember } from '../../../src/domain/accounts/groups.js';
import { DIRECTORY_BOOK } from '../../../src/domain/directory/directory-book.js';
import { createUser } from '../../../src/domain/users.js';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import type { Store } from '../../../src/store/store.js';
import { createThrowawayDatabase, postgresSkipReason } from '../../helpers/postgres.js';
import { davFetch, startTestServer } from '../../helpers/server.js';

async function cardNames(store: Store): Promise<string[]> {
  const book = await store.getResource(DIRECTORY_BOOK);
  if (!book) return [];
  return (await store.listChildren(book.id)).map((r) => r.path.slice(DIRECTORY_BOOK.length + 1)).sort();
}

const skip = await postgresSkipReason();

describe('directory address book: concurrent writers and an upgraded server', () => {
  it(
    'PostgreSQL, two nodes: 12 users and 2 groups made at once each have one card; the feed has each change once',
    { skip },
    async () => {
      const db = await createThrowawayDatabase();
      const nodes = [await openPostgresStore(db.url), await openPostgresStore(db.url)];
      try {
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            addUser(nodes[i % 2]!, { name: `u${i}`, password: 'pw', email: `u${i}@example.org` }),
          ),
        );
        await Promise.all([addGroup(nodes[0]!, 'g0'), addGroup(nodes[1]!, 'g1')]);
        await Promise.all(
          Array.from({ length: 6 }, (_, i) => setGroupMember(nodes[i % 2]!, `g${i % 2}`, `u${i}`, true)),
        );
        const users = await nodes[0]!.listUsers();
        const groups = await nodes[0]!.listGroups();
        assert.equal(users.length, 12);
        assert.deepEqual(
          await cardNames(nodes[1]!),
          [...users.map((u) => `user-${u.id}.vcf`), ...groups.map((g) => `group-${g.id}.vcf`)].sort(),
        );
        const book = await nodes[0]!.getResource(DIRECTORY_BOOK);
        const feed = await nodes[0]!.changesSince(book!.id, 0, 1_000);
        // 12 user cards, 2 group cards, 6 membership changes to them: each one change row.
        assert.equal(feed.length, 12 + 2 + 6);
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
        await db.drop();
      }
    },
  );

  it('a server whose users were made before the directory existed makes it, with everyone, at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'almanac-dir-upgrade-'));
    const store = openSqliteStore(join(dir, 'a.sqlite'), { synchronous: 'NORMAL' });
    try {
      for (const name of ['alice', 'bob'])
        await store.transaction([`/files/${name}`], (tx) => createUser(tx, { name, password: `${name}-pw` }));
      // As on a server of the release before: no directory home or book.
      await store.transaction([DIRECTORY_BOOK], (tx) => tx.deleteResource('/addressbooks/__directory__', null));
      assert.deepEqual(await cardNames(store), []);
      const server = await startTestServer({ store, users: {} });
      try {
        const deadline = Date.now() + 10_000;
        while ((await cardNames(store)).length < 2 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        assert.equal((await cardNames(store)).length, 2);
        const res = await davFetch(server.url, 'bob')(`/dav${DIRECTORY_BOOK}/`, {
          method: 'PROPFIND',
          headers: { Depth: '1' },
        });
        assert.equal(res.status, 207);
        assert.equal((await res.text()).match(/\.vcf<\/D:href>/g)?.length, 2);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
