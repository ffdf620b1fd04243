// `almanac group …` as a user runs it: the compiled bin in a child process, against a temp --data dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

const BIN = join(fileURLToPath(new URL('../../../', import.meta.url)), 'bin', 'almanac.js');
const dir = mkdtempSync(join(tmpdir(), 'almanac-group-'));
const data = ['--data', dir];

function almanac(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, ...data], { input: 'pw\n', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('almanac group: groups of users as principals (RFC 3744 §2)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('add, members add/remove, list, delete', async () => {
    for (const u of ['alice', 'bob']) assert.equal(almanac('user', 'add', u, '--password-stdin').code, 0);
    assert.equal(almanac('group', 'add', 'team').code, 0);
    assert.equal(almanac('group', 'add', 'team').code, 1, 'a second group of one name is refused');
    assert.notEqual(almanac('group', 'add', 'bad/name').code, 0);
    assert.equal(almanac('group', 'members', 'team', 'add', 'alice').code, 0);
    assert.equal(almanac('group', 'members', 'team', 'add', 'bob').code, 0);
    assert.equal(almanac('group', 'members', 'team', 'add', 'nobody').code, 1);
    assert.notEqual(almanac('group', 'members', 'team', 'join', 'bob').code, 0);
    assert.match(almanac('group', 'list').stdout, /team\s+alice, bob/);
    assert.equal(almanac('group', 'members', 'team', 'remove', 'alice').code, 0);
    assert.match(almanac('group', 'list').stdout, /team\s+bob\n/);
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      const bob = await store.getUserByName('bob');
      assert.deepEqual(
        (await store.groupsOf(bob?.id ?? 0)).map((g) => g.name),
        ['team'],
      );
    } finally {
      await store.close();
    }
    assert.equal(almanac('group', 'delete', 'team').code, 0);
    assert.doesNotMatch(almanac('group', 'list').stdout, /team/);
    assert.equal(almanac('group', 'delete', 'team').code, 1);
  });
});
