// `almanac user admin|quota|default-quota` and `almanac push list|remove` as an operator runs them
// (issue #19 item 6): the compiled bin in a child process, against a temp --data dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = join(fileURLToPath(new URL('../../../', import.meta.url)), 'bin', 'almanac.js');
const dir = mkdtempSync(join(tmpdir(), 'almanac-admin-'));

function almanac(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', dir], {
    input: 'pw\n',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('almanac user admin / quota / default-quota, push list', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the first user is the admin; the last admin stays; quotas show in user list', () => {
    assert.match(almanac('user', 'add', 'root', '--password-stdin').stdout, /root is an admin/);
    assert.doesNotMatch(almanac('user', 'add', 'bob', '--password-stdin').stdout, /admin/);
    const last = almanac('user', 'admin', 'root', 'off');
    assert.equal(last.code, 1);
    assert.match(last.stderr, /last admin/);
    assert.equal(almanac('user', 'admin', 'bob', 'maybe').code, 2);
    assert.equal(almanac('user', 'quota', 'bob', '1.5G').code, 2, 'a malformed quota is a usage error');
    assert.equal(almanac('user', 'quota', 'bob', '2M').code, 0);
    assert.equal(almanac('user', 'default-quota', '1G').code, 0);
    const list = almanac('user', 'list').stdout.split('\n');
    assert.match(list.find((l) => l.startsWith('bob')) ?? '', /^bob\s+-\s+-\s+-\s+local\s+2\.0 MiB\s+\d+ B/);
    assert.match(list.find((l) => l.startsWith('root')) ?? '', /^root\s+-\s+-\s+yes\s+local\s+1\.0 GiB \(default\)/);
    assert.equal(almanac('user', 'admin', 'bob', 'on').code, 0);
    assert.equal(almanac('user', 'admin', 'root', 'off').code, 0);
    assert.equal(almanac('user', 'quota', 'nobody', 'none').code, 1);
  });

  it('push list and remove name the user and the subscription', () => {
    assert.match(almanac('push', 'list', 'bob').stdout, /bob has no push subscriptions/);
    const gone = almanac('push', 'remove', 'bob', 'nope');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /no push subscription 'nope'/);
  });
});
