import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Radicale on 127.0.0.1, a temporary store, one plain-htpasswd user. */
export interface Radicale {
  readonly url: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startRadicale(user: string, password: string): Promise<Radicale> {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-radicale-'));
  writeFileSync(join(dir, 'users'), `${user}:${password}\n`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.env.ALMANAC_RADICALE ?? 'radicale',
    [
      '--server-hosts',
      `127.0.0.1:${port}`,
      '--auth-type',
      'htpasswd',
      '--auth-htpasswd-filename',
      join(dir, 'users'),
      '--auth-htpasswd-encryption',
      'plain',
      '--auth-delay',
      '0',
      '--rights-type',
      'owner_only',
      '--storage-filesystem-folder',
      join(dir, 'collections'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (c: Buffer) => {
    log += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await fetch(`${url}/`);
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`radicale did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (process.env.ALMANAC_DEBUG_RADICALE) console.error(log);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
