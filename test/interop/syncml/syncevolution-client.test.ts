/**
 * Interop with the real SyncML client SyncEvolution 2.0 (Synthesis engine), on the recipe of
 * ../shared/interop/syncml/ (README: phases 1–9, slow/two-way/refresh syncs, conflicts, wrong
 * password). Each required mode runs against its own Almanac, with --server-edit-cmd changing
 * data through CardDAV/CalDAV so server-side edits travel DAV → phone (phase 4).
 * Slow (~90 s per mode; the four modes run concurrently). Needs the Debian packages listed in
 * ../shared/interop/syncml/README.md; the scripts are called in place, beside the clone.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { startTestServer } from '../../helpers/server.js';

const SCRIPT = resolve('../shared/interop/syncml/run-syncevolution-client.sh');
const EDIT = resolve('dist/test/interop/syncml/dav-edit.js');
const missing = !existsSync(SCRIPT)
  ? `${SCRIPT} not found (the shared interop scripts must sit beside the clone)`
  : spawnSync('sh', ['-c', 'command -v syncevolution'], { encoding: 'utf8' }).status !== 0
    ? 'SyncEvolution is not installed (apt-get install syncevolution syncevolution-libs syncevolution-http …)'
    : undefined;

function run(url: string, args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(SCRIPT, [url, 'test', 'test', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 900_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

const MODES: readonly { name: string; args: readonly string[] }[] = [
  { name: 'XML', args: [] },
  { name: 'WBXML (digest §13)', args: ['--wbxml'] },
  { name: 'legacy vCard 2.1 / vCalendar 1.0 (digest §14)', args: ['--legacy'] },
  {
    name: 'MaxMsgSize 5000: multi-message packages and large objects (digest §9–10)',
    args: ['--max-msg-size', '5000'],
  },
];

describe('interop (slow, ~2 min): SyncEvolution client against /syncml, OMA DS 1.2', { skip: missing }, () => {
  const results = MODES.map(async (mode) => {
    const server = await startTestServer({ users: { test: 'test' } });
    try {
      const edit = `node ${EDIT} ${server.url} test test`;
      return await run(`${server.url}/syncml`, [...mode.args, '--server-edit-cmd', edit]);
    } finally {
      await server.close();
    }
  });
  MODES.forEach((mode, i) => {
    it(`SyncEvolution ${mode.name}: every check passes`, { timeout: 1_000_000 }, async () => {
      const { code, out } = await (results[i] as Promise<{ code: number | null; out: string }>);
      const summary = /(\d+) passed, (\d+) failed\s*$/.exec(out.trim());
      const fails = out
        .split('\n')
        .filter((l) => l.startsWith('FAIL:'))
        .join('\n');
      assert.ok(summary, `no summary line; output:\n${out.slice(-4000)}`);
      assert.equal(summary[2], '0', `${summary[0]}\n${fails}`);
      assert.ok(Number(summary[1]) >= 100, `${summary[0]}: fewer checks than the full recipe (107)`);
      assert.equal(code, 0, out.slice(-2000));
    });
  });
});
