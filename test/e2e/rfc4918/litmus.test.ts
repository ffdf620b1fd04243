import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import { createThrowawayDatabase, postgresSkipReason } from '../../helpers/postgres.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/** Run Debian's litmus against a live server and collect its per-group summaries. */
function runLitmus(url: string, user: string, password: string): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('litmus', [url, user, password], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

function checkLitmus(output: string, code: number | null): void {
  const summaries = new Map<string, { run: number; passed: number; failed: number }>();
  for (const m of output.matchAll(/summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed/g)) {
    summaries.set(m[1] ?? '', { run: Number(m[2]), passed: Number(m[3]), failed: Number(m[4]) });
  }
  for (const group of ['basic', 'copymove', 'props', 'locks', 'http']) {
    const s = summaries.get(group);
    assert.ok(s, `litmus group ${group} did not run:\n${output.slice(-2000)}`);
    assert.equal(s.failed, 0, `litmus ${group}: ${s.failed} failed:\n${output}`);
    assert.equal(s.passed, s.run);
  }
  assert.doesNotMatch(output, /WARNING/, 'litmus printed a warning');
  assert.equal(code, 0);
}

describe('RFC 4918 compliance classes 1, 2, 3: litmus on the SQLite store', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it('passes every litmus group (basic, copymove, props, locks, http) with 0 failures', async () => {
    const { output, code } = await runLitmus(`${server.url}/dav/files/alice/`, 'alice', 'alice-pw');
    checkLitmus(output, code);
  });
});

describe('RFC 4918 compliance classes 1, 2, 3: litmus on the PostgreSQL store', async () => {
  const skip = await postgresSkipReason();
  let server: TestServer;
  let db: { url: string; drop(): Promise<void> } | undefined;
  before(async () => {
    if (skip) return;
    db = await createThrowawayDatabase();
    server = await startTestServer({ store: await openPostgresStore(db.url) });
  });
  after(async () => {
    if (skip) return;
    await server.close();
    await db?.drop();
  });

  it('passes every litmus group with 0 failures', { skip }, async () => {
    const { output, code } = await runLitmus(`${server.url}/dav/files/alice/`, 'alice', 'alice-pw');
    checkLitmus(output, code);
  });
});
