/**
 * The fuzzer's target: a real `almanac serve` process (not in the test's own process, so a crash
 * or a heap blow-up is seen as a dead server, with the input that caused it, instead of killing
 * the test runner) with a fresh SQLite store and the user the cases write as.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { almanac, exited, serveProcess, type ServeProcess } from '../helpers/cli-server.js';
import { USER } from './cases.js';

const PASSWORD = 'fuzz-password-1';
export const AUTHORIZATION = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
export const HEALTH_PATH = `/dav/files/${USER}/keep.txt`;
export const HEALTH_BODY = 'precious';

export interface FuzzServer {
  readonly url: string;
  readonly process: ServeProcess;
  /** The store's directory (for `almanac user …` against the running server's store). */
  readonly dataDir: string;
  /** null while running; the exit code or signal once it died. */
  died(): string | null;
  close(): Promise<void>;
}

export async function startFuzzServer(extraArgs: readonly string[] = []): Promise<FuzzServer> {
  const data = mkdtempSync(join(tmpdir(), 'almanac-fuzz-'));
  const add = almanac(['user', 'add', USER, '--password-stdin', '--data', data], `${PASSWORD}\n`);
  if (add.code !== 0) throw new Error(`user add failed: ${add.stderr}`);
  // A small heap makes a memory blow-up show as a crash within the run instead of swapping.
  const p = await serveProcess(['--data', data, ...extraArgs], { NODE_OPTIONS: '--max-old-space-size=1024' });
  const res = await fetch(new URL(HEALTH_PATH, p.url), {
    method: 'PUT',
    headers: { Authorization: AUTHORIZATION },
    body: HEALTH_BODY,
  });
  if (res.status !== 201) throw new Error(`setup PUT answered ${res.status}`);
  return {
    url: p.url,
    process: p,
    dataDir: data,
    died: () =>
      p.child.exitCode !== null || p.child.signalCode !== null
        ? `exit ${p.child.exitCode ?? p.child.signalCode}`
        : null,
    async close() {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
        await exited(p.child);
        clearTimeout(timer);
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}
