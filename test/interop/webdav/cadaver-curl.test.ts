import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Run a client asynchronously: the server runs in this process, so a synchronous spawn would
 * block it and the client would wait for an answer that never comes.
 */
function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr: err, code });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The two command-line clients the README tells a new user to try. */
describe('cadaver and curl store and fetch files (RFC 4918 clients)', () => {
  let server: TestServer;
  let home: string;
  before(async () => {
    server = await startTestServer();
    home = mkdtempSync(join(tmpdir(), 'almanac-cadaver-'));
    const host = new URL(server.url).hostname;
    writeFileSync(join(home, '.netrc'), `machine ${host}\nlogin alice\npassword alice-pw\n`, { mode: 0o600 });
    writeFileSync(join(home, 'notes.txt'), 'Notes from cadaver\nline two\n');
  });
  after(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('cadaver: mkcol, put, ls, get, move and delete', async () => {
    const script = [
      'mkcol docs',
      'cd docs',
      'put notes.txt',
      'ls',
      'get notes.txt fetched.txt',
      'move notes.txt renamed.txt',
      'ls',
      'delete renamed.txt',
      'quit',
      '',
    ].join('\n');
    const r = await run('cadaver', [`${server.url}/dav/files/alice/`], {
      cwd: home,
      env: { ...process.env, HOME: home },
      input: script,
    });
    assert.equal(r.code, 0);
    const out = r.stdout.toString() + r.stderr;
    assert.doesNotMatch(out, /failed|Could not|error/i, out);
    assert.match(out, /renamed\.txt/);
    assert.equal(readFileSync(join(home, 'fetched.txt'), 'utf8'), 'Notes from cadaver\nline two\n');
  });

  it('curl -T uploads and curl downloads the same bytes', async () => {
    const file = join(home, 'blob.bin');
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)));
    const up = await run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-u',
      'alice:alice-pw',
      '-T',
      file,
      `${server.url}/dav/files/alice/blob.bin`,
    ]);
    assert.equal(up.stdout.toString(), '201');
    const down = await run('curl', ['-sS', '-u', 'alice:alice-pw', `${server.url}/dav/files/alice/blob.bin`]);
    assert.deepEqual(down.stdout, readFileSync(file));
    const denied = await run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-u',
      'alice:wrong',
      `${server.url}/dav/files/alice/blob.bin`,
    ]);
    assert.equal(denied.stdout.toString(), '401');
  });
});
