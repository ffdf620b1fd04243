/**
 * A private PostgreSQL cluster in a temp directory (initdb + pg_ctl, own port on 127.0.0.1,
 * trust auth), so that `npm run cluster` needs no database set up beforehand and the fault tests
 * can restart "the database" without touching the machine's PostgreSQL that others share.
 * PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../test/helpers/tcp.js';

const BIN = process.env.ALMANAC_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/almanac */
  readonly url: string;
  readonly port: number;
  /** The postmaster's process id (its backends are its children), 0 when it is not running. */
  pid(): number;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when this resolves. */
  restart(): Promise<void>;
  /** Stop the server and remove its directory. */
  destroy(): void;
}

export function privatePostgresAvailable(): boolean {
  return existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
}

function asOwner(): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
}

function run(cmd: string, args: string[]): void {
  const full = [...asOwner(), join(BIN, cmd), ...args];
  const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}${r.stdout}`);
}

/** `run` without blocking this process's event loop (its clients keep going meanwhile). */
function runAsync(cmd: string, args: string[]): Promise<void> {
  const full = [...asOwner(), join(BIN, cmd), ...args];
  return new Promise((resolve, reject) =>
    execFile(full[0]!, full.slice(1), { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${stderr}${stdout}`)) : resolve(),
    ),
  );
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-pg-'));
  if (process.getuid?.() === 0) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = join(dir, 'data');
  const port = await freeLoopbackPort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  // Own socket directory (the default /var/run/postgresql is the machine's), loopback only.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctlArgs = (args: string[]): string[] => ['-D', data, '-l', join(dir, 'log'), '-o', opts, ...args];
  const pgCtl = (...args: string[]): void => run('pg_ctl', ctlArgs(args));
  pgCtl('-w', 'start');
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'almanac']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/almanac`,
    port,
    pid() {
      try {
        return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || 0;
      } catch {
        return 0;
      }
    },
    restart: () => runAsync('pg_ctl', ctlArgs(['-w', '-m', 'fast', 'restart'])),
    destroy() {
      try {
        pgCtl('-m', 'immediate', 'stop');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
