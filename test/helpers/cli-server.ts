import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The repository root (tests run from dist/test/…, the CLI shim is bin/almanac.js). */
const REPO = join(import.meta.dirname, '..', '..', '..');
export const ALMANAC = join(REPO, 'bin', 'almanac.js');

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Run an `almanac` command to completion. */
export function almanac(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [ALMANAC, ...args], { input: input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stdout(): string;
  stderr(): string;
}

/** Start `almanac serve` as a real process and wait until it listens. */
export async function serveProcess(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [ALMANAC, 'serve', '--host', '127.0.0.1', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  watchClose(child);
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/listening/i.test(out)) {
    if (child.exitCode !== null) throw new Error(`almanac serve exited ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) throw new Error(`almanac serve did not start: ${out} ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err };
}

/** Children whose output `exited` waits for, and those whose pipes have closed. */
const watched = new WeakSet<ChildProcess>();
const closed = new WeakSet<ChildProcess>();

function watchClose(child: ChildProcess): void {
  watched.add(child);
  child.once('close', () => closed.add(child));
}

/**
 * Resolves with the exit code (null when a signal ended the process) once the child is gone —
 * for a server of `serveProcess`, once its pipes are closed too ('close', not 'exit': at 'exit'
 * the last lines it wrote, e.g. a request log line just before a SIGKILL, may still be unread).
 */
export function exited(child: ChildProcess): Promise<number | null> {
  if (watched.has(child)) {
    if (closed.has(child)) return Promise.resolve(child.exitCode);
    return new Promise((r) => child.once('close', () => r(child.exitCode)));
  }
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}
