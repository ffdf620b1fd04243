/**
 * RFC 3744 §5.5 and §5.7 on WebDAV file folders (RFC 4918): Alice shares folders of her file
 * area by the ACL method. Litmus, run as Bob inside a folder granted read+write to a group he is
 * in, passes every group (basic, copymove, props, locks, http) as it does for an owner; cadaver
 * as Bob lists, fetches and stores files there; a read-only grantee gets every read and is
 * refused every write, at any depth below the folder, with the RFC 3744 §7.1.1 answer.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { grantAcl } from './grant-matrix-cases.js';

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  return new Promise<{ out: string; code: number | null }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ out, code });
    });
    child.stdin.end(opts.input ?? '');
  });
}

const LOCKINFO =
  '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>bob</D:owner></D:lockinfo>';

type Init = Parameters<ReturnType<typeof davFetch>>[1];
let server: TestServer;
let home: string;
const alice = () => davFetch(server.url, 'alice');
const bob = () => davFetch(server.url, 'bob');

before(async () => {
  server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
  await server.store.transaction(['/principals/groups'], async (tx) => {
    const team = await tx.createGroup('team');
    const u = await tx.getUserByName('bob');
    if (u) await tx.addGroupMember(team.id, u.id);
  });
  for (const path of ['/dav/files/alice/team/', '/dav/files/alice/read/', '/dav/files/alice/read/deep/'])
    assert.equal((await alice()(path, { method: 'MKCOL' })).status, 201);
  for (const path of ['/dav/files/alice/read/a.txt', '/dav/files/alice/read/deep/b.txt', '/dav/files/alice/team/t.txt'])
    assert.equal((await alice()(path, { method: 'PUT', body: `content of ${path}` })).status, 201);
  await grantAcl(alice(), '/dav/files/alice/team/', { principal: 'group', privileges: ['read', 'write'] });
  await grantAcl(alice(), '/dav/files/alice/read/', { principal: 'user', privileges: ['read'] });
  home = mkdtempSync(join(tmpdir(), 'almanac-grantee-'));
  writeFileSync(join(home, '.netrc'), `machine ${new URL(server.url).hostname}\nlogin bob\npassword bob-pw\n`, {
    mode: 0o600,
  });
  writeFileSync(join(home, 'from-bob.txt'), 'Bob was here\n');
});
after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

describe('file folders shared by ACL', () => {
  it('litmus as a grantee (read+write through a group) passes every group with 0 failures', async () => {
    const { out, code } = await run('litmus', [`${server.url}/dav/files/alice/team/`, 'bob', 'bob-pw']);
    for (const group of ['basic', 'copymove', 'props', 'locks', 'http']) {
      const m = new RegExp(`summary for \`${group}': of (\\d+) tests run: (\\d+) passed, (\\d+) failed`).exec(out);
      assert.ok(m, `litmus group ${group} did not run:\n${out.slice(-2000)}`);
      assert.equal(m[3], '0', `litmus ${group}:\n${out}`);
    }
    assert.equal(code, 0, out);
  });

  it('cadaver as the grantee lists, fetches and stores; the owner reads what Bob stored', async () => {
    const script = ['ls', 'get t.txt fetched.txt', 'put from-bob.txt', 'mkcol bobs', 'quit', ''].join('\n');
    const { out, code } = await run('cadaver', [`${server.url}/dav/files/alice/team/`], {
      cwd: home,
      env: { ...process.env, HOME: home },
      input: script,
    });
    assert.equal(code, 0, out);
    assert.doesNotMatch(out, /failed|Could not|error/i, out);
    assert.match(out, /t\.txt/);
    assert.equal(readFileSync(join(home, 'fetched.txt'), 'utf8'), 'content of /dav/files/alice/team/t.txt');
    assert.equal(await (await alice()('/dav/files/alice/team/from-bob.txt')).text(), 'Bob was here\n');
    assert.equal(
      (await alice()('/dav/files/alice/team/bobs/', { method: 'PROPFIND', headers: { Depth: '0' } })).status,
      207,
    );
  });
});

describe('a read-only grantee on a shared folder', () => {
  const reads: [string, string, Init, number][] = [
    ['GET', '/dav/files/alice/read/deep/b.txt', {}, 200],
    ['HEAD', '/dav/files/alice/read/a.txt', { method: 'HEAD' }, 200],
    ['PROPFIND Depth 1', '/dav/files/alice/read/', { method: 'PROPFIND', headers: { Depth: '1' } }, 207],
    ['PROPFIND Depth infinity', '/dav/files/alice/read/', { method: 'PROPFIND', headers: { Depth: 'infinity' } }, 207],
    [
      'COPY out',
      '/dav/files/alice/read/a.txt',
      { method: 'COPY', headers: { Destination: '/dav/files/bob/a.txt' } },
      201,
    ],
  ];
  const writes: [string, string, Init][] = [
    ['PUT new', '/dav/files/alice/read/new.txt', { method: 'PUT', body: 'x' }],
    ['PUT over', '/dav/files/alice/read/deep/b.txt', { method: 'PUT', body: 'x' }],
    ['DELETE file', '/dav/files/alice/read/a.txt', { method: 'DELETE' }],
    ['DELETE folder', '/dav/files/alice/read/deep/', { method: 'DELETE' }],
    ['MKCOL', '/dav/files/alice/read/sub/', { method: 'MKCOL' }],
    ['COPY into', '/dav/files/bob/a.txt', { method: 'COPY', headers: { Destination: '/dav/files/alice/read/c.txt' } }],
    ['MOVE out', '/dav/files/alice/read/a.txt', { method: 'MOVE', headers: { Destination: '/dav/files/bob/m.txt' } }],
    [
      'MOVE inside',
      '/dav/files/alice/read/a.txt',
      { method: 'MOVE', headers: { Destination: '/dav/files/alice/read/m.txt' } },
    ],
    ['LOCK', '/dav/files/alice/read/a.txt', { method: 'LOCK', body: LOCKINFO, headers: { Timeout: 'Second-60' } }],
    [
      'LOCK unmapped',
      '/dav/files/alice/read/lk.txt',
      { method: 'LOCK', body: LOCKINFO, headers: { Timeout: 'Second-60' } },
    ],
    [
      'PROPPATCH',
      '/dav/files/alice/read/a.txt',
      {
        method: 'PROPPATCH',
        body: '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z"><D:set><D:prop><Z:x>1</Z:x></D:prop></D:set></D:propertyupdate>',
      },
    ],
    ['ACL', '/dav/files/alice/read/', { method: 'ACL', body: '<?xml version="1.0"?><D:acl xmlns:D="DAV:"/>' }],
  ];

  it('a read-only grantee: every read succeeds at any depth', async () => {
    for (const [name, path, init, status] of reads) assert.equal((await bob()(path, init)).status, status, name);
  });

  it('a read-only grantee: every write is 403 need-privileges and changes nothing', async () => {
    for (const [name, path, init] of writes) {
      const res = await bob()(path, init);
      assert.equal(res.status, 403, name);
      assert.match(await res.text(), /<D:need-privileges>/, name);
    }
    const listing = await (
      await alice()('/dav/files/alice/read/', { method: 'PROPFIND', headers: { Depth: 'infinity' } })
    ).text();
    const hrefs = [...listing.matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]).sort();
    assert.deepEqual(hrefs, [
      '/dav/files/alice/read/',
      '/dav/files/alice/read/a.txt',
      '/dav/files/alice/read/deep/',
      '/dav/files/alice/read/deep/b.txt',
    ]);
    assert.equal(
      await (await alice()('/dav/files/alice/read/deep/b.txt')).text(),
      'content of /dav/files/alice/read/deep/b.txt',
    );
  });

  it('a user without a grant (carol) gets 403 on the folders and their files', async () => {
    const carol = davFetch(server.url, 'carol');
    for (const path of ['/dav/files/alice/read/a.txt', '/dav/files/alice/team/', '/dav/files/alice/team/t.txt'])
      assert.equal((await carol(path, { method: 'PROPFIND', headers: { Depth: '0' } })).status, 403, path);
  });
});
