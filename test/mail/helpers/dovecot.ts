import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, waitForListening } from '../../helpers/tcp.js';

export interface Dovecot {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

/** uid and gid of a system user (Debian's dovecot package creates `dovecot`). */
function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const f = line?.split(':');
  return f ? { uid: Number(f[2]), gid: Number(f[3]) } : null;
}

function config(dir: string, port: number, owner: { uid: number; gid: number }): string {
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${owner.uid}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/home/%u
}
`;
}

/**
 * Debian's dovecot (/usr/sbin/dovecot) as a foreground process with a private configuration in a
 * temporary directory, IMAP on a free loopback port, any user with password `secret`. Run as root,
 * mail is stored as the `dovecot` user (dovecot refuses uid 0 for mail). stop() kills it.
 */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-dovecot-'));
  const owner =
    process.getuid?.() === 0
      ? (systemUser('dovecot') ?? { uid: 65534, gid: 65534 })
      : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, sub));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) for (const sub of ['mail', 'home']) chownSync(join(dir, sub), owner.uid, owner.gid);
  const port = await freeLoopbackPort();
  writeFileSync(join(dir, 'dovecot.conf'), config(dir, port, owner));
  const child = spawn('/usr/sbin/dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const log = (): string => {
    try {
      return stderr + readFileSync(join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return stderr;
    }
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer); // a pending timer would keep the test process alive
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForListening(port, Date.now() + 10_000, () => child.exitCode !== null, 'dovecot');
  } catch (err) {
    const text = log();
    await stop();
    throw new Error(`${(err as Error).message}\n${text}`, { cause: err });
  }
  return { port, user: 'replies', password: 'secret', log, stop };
}
