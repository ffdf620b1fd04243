/**
 * One run of the shared SyncEvolution client recipe (../shared/interop/syncml/
 * run-syncevolution-client.sh: two real SyncML clients, slow, two-way, server-side edits,
 * conflict, refresh-from-server and refresh-from-client syncs, idle syncs, a wrong password)
 * against any Almanac base URL, with server-side edits made through CalDAV/CardDAV (dav-edit.ts).
 * Used against one server (syncevolution-client.test.ts) and through a cluster's balancer.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const SCRIPT = resolve('../shared/interop/syncml/run-syncevolution-client.sh');
const EDIT = resolve('dist/test/interop/syncml/dav-edit.js');

/** Why the recipe cannot run here, or undefined. */
export const syncEvolutionClientMissing = !existsSync(SCRIPT)
  ? `${SCRIPT} not found (the shared interop scripts must sit beside the clone)`
  : spawnSync('sh', ['-c', 'command -v syncevolution'], { encoding: 'utf8' }).status !== 0
    ? 'SyncEvolution is not installed (apt-get install syncevolution syncevolution-libs syncevolution-http …)'
    : undefined;

export interface ClientRun {
  readonly code: number | null;
  readonly out: string;
}

/** The recipe against `base` (…/syncml is appended) as `user`/`password`, with extra script flags. */
export function runSyncEvolutionClient(
  base: string,
  user: string,
  password: string,
  args: readonly string[],
): Promise<ClientRun> {
  const edit = `node ${EDIT} ${base} ${user} ${password}`;
  return new Promise((done) => {
    const child = spawn(SCRIPT, [`${base}/syncml`, user, password, ...args, '--server-edit-cmd', edit], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

/** Every check of the run passed, and at least `minChecks` ran (107 with the default data). */
export function assertEveryCheckPassed({ code, out }: ClientRun, minChecks: number): void {
  const summary = /(\d+) passed, (\d+) failed\s*$/.exec(out.trim());
  const fails = out
    .split('\n')
    .filter((l) => l.startsWith('FAIL:'))
    .join('\n');
  assert.ok(summary, `no summary line; output:\n${out.slice(-4000)}`);
  assert.equal(summary[2], '0', `${summary[0]}\n${fails}`);
  assert.ok(Number(summary[1]) >= minChecks, `${summary[0]}: fewer checks than the full recipe (${minChecks})`);
  assert.equal(code, 0, out.slice(-2000));
}
