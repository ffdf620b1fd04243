/**
 * The servers under test, each its own child process so that its RSS is its own: Almanac
 * (`bin/almanac.js serve`, SQLite or PostgreSQL), Radicale (`python3 -m radicale`, filesystem
 * storage) and the floor (a plain node:http server answering pre-rendered bytes).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVE_NODE_FLAGS } from './serve-flags.js';

const REPO = join(import.meta.dirname, '..', '..');
const THIS_ALMANAC = join(REPO, 'bin', 'almanac.js');

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench-password-1';

/** Children still running: killed if the benchmark process exits early (a crash, Ctrl-C). */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export interface Running {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Collection paths (server-absolute, ending with '/'). */
  readonly calendar: string;
  readonly addressbook: string;
  /** The data set is there already (a restarted server): no populate phases. */
  readonly populated?: boolean;
  /** Bytes on disk (or in the database) of the stored data. */
  dataBytes(): Promise<number>;
  /** Peak and last RSS seen by the sampler, in bytes. */
  rss(): { peak: number; last: number };
  /** The peak RSS since the previous call (or the start), in bytes; starts a new window. */
  rssWindowPeak(): number;
  /** CPU time (user + system) the process has used so far, in milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
  logTail(): string;
}

export function freePort(): Promise<number> {
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

export function readRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/PID/stat's utime and stime (CLK_TCK; 100 on Linux unless told otherwise). */
const CLOCK_TICKS = ((): number => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** User + system CPU time of a process from /proc/PID/stat (fields 14 and 15), ms; 0 when unreadable. */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

function listOr(read: () => string[]): string[] {
  try {
    return read();
  } catch {
    return []; // the process (or thread) has exited
  }
}

/** The process's live descendants (a forking server such as Cyrus serves from its children). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const t of listOr(() => readdirSync(`/proc/${p}/task`))) {
      const kids = listOr(() => readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/));
      for (const k of kids.filter(Boolean).map(Number)) {
        out.push(k);
        walk(k);
      }
    }
  };
  walk(pid);
  return out;
}

/**
 * CPU time of a process and all its descendants, ms: each live process's own user + system
 * time, plus the user + system time of the children each has already reaped (fields 16, 17).
 */
export function readTreeCpuMs(pid: number): number {
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / CLOCK_TICKS;
    } catch {
      // exited between the listing and the read: its time is in its parent's reaped fields next time
    }
  }
  return total;
}

/** Samples VmRSS every 200 ms for as long as the process lives (with `tree`, summed over its descendants). */
function rssSampler(
  pid: number,
  tree = false,
): { stop(): void; get(): { peak: number; last: number }; window(): number } {
  let peak = 0;
  let last = 0;
  let windowPeak = 0;
  const tick = (): void => {
    last = (tree ? [pid, ...descendants(pid)].reduce((n, p) => n + readRss(p), 0) : readRss(pid)) || last;
    peak = Math.max(peak, last);
    windowPeak = Math.max(windowPeak, last);
  };
  tick();
  const timer = setInterval(tick, 200);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    get: () => (tick(), { peak, last }),
    window: () => {
      tick();
      const w = windowPeak;
      windowPeak = last;
      return w;
    },
  };
}

/**
 * The members every measured child process shares: its RSS and CPU time (with `tree`, of it and
 * its descendants), and stopping it and removing its folder (with `keepDir`, the folder stays).
 */
export function processMembers(
  child: ChildProcess,
  dir: string,
  logTail: () => string,
  opts: { tree?: boolean; keepDir?: boolean } = {},
): Pick<Running, 'rss' | 'rssWindowPeak' | 'cpuMs' | 'stop' | 'logTail'> {
  const sampler = rssSampler(child.pid!, opts.tree);
  let lastLog: string | undefined; // the log's end as the process left it (its folder is removed on stop)
  return {
    rss: () => sampler.get(),
    rssWindowPeak: () => sampler.window(),
    cpuMs: () => (opts.tree ? readTreeCpuMs(child.pid!) : readCpuMs(child.pid!)),
    async stop() {
      sampler.stop();
      await stopChild(child);
      lastLog = logTail();
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    },
    logTail: () => lastLog ?? logTail(),
  };
}

export function dirBytes(dir: string): number {
  let total = 0;
  if (!existsSync(dir)) return 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    total += st.isDirectory() ? dirBytes(p) : st.size;
  }
  return total;
}

export async function waitListening(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${log()}`);
    try {
      await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`server at ${url} did not start: ${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function tail(file: string, bytes = 2000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

export interface AlmanacOptions {
  /** postgres://… for PostgreSQL; absent = SQLite in a temp directory. */
  readonly database?: string;
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[];
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  /** The checkout whose built server runs (its bin/almanac.js); this one by default (bench/ab.ts runs another). */
  readonly checkout?: string;
}

export async function startAlmanac(options: AlmanacOptions = {}): Promise<Running> {
  const almanac = options.checkout ? join(options.checkout, 'bin', 'almanac.js') : THIS_ALMANAC;
  const dir = mkdtempSync(join(tmpdir(), 'almanac-bench-'));
  const storeArgs = ['--data', dir, ...(options.database ? ['--database', options.database] : [])];
  const add = spawnSync(process.execPath, [almanac, 'user', 'add', BENCH_USER, '--password-stdin', ...storeArgs], {
    input: BENCH_PASSWORD,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (add.status !== 0) throw new Error(`almanac user add failed: ${add.stderr}${add.stdout}`);
  const port = await freePort();
  const logFile = join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  const child = track(
    spawn(
      process.execPath,
      [
        ...SERVE_NODE_FLAGS,
        ...(options.nodeFlags ?? []),
        almanac,
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        ...storeArgs,
      ],
      { stdio: ['ignore', fd, fd], cwd: options.cwd ?? dir, env: { ...process.env, ...options.env } },
    ),
  );
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  await waitListening(url, child, () => tail(logFile));
  return {
    name: options.database ? 'almanac-pg' : 'almanac',
    url,
    pid: child.pid!,
    calendar: `/dav/calendars/${BENCH_USER}/default/`,
    addressbook: `/dav/addressbooks/${BENCH_USER}/default/`,
    async dataBytes() {
      if (!options.database) return dirBytes(dir) - (existsSync(logFile) ? statSync(logFile).size : 0);
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: options.database });
      await c.connect();
      try {
        const r = await c.query<{ n: string }>('SELECT pg_database_size(current_database())::text AS n');
        return Number(r.rows[0]?.n ?? 0);
      } finally {
        await c.end();
      }
    },
    ...processMembers(child, dir, () => tail(logFile)),
  };
}

/** A python3 that can run Radicale, or null. */
export function radicalePython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-m', 'radicale', '--version'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) return py;
  }
  return null;
}

export interface RadicaleServer extends Running {
  /** Filesystem folder of a collection, for direct bulk loading. */
  readonly calendarDir: string;
  readonly addressbookDir: string;
}

export async function startRadicale(python: string): Promise<RadicaleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'radicale-bench-'));
  const root = join(dir, 'collections', 'collection-root', BENCH_USER);
  const calendarDir = join(root, 'calendar');
  const addressbookDir = join(root, 'contacts');
  mkdirSync(calendarDir, { recursive: true });
  mkdirSync(addressbookDir, { recursive: true });
  writeFileSync(
    join(calendarDir, '.Radicale.props'),
    JSON.stringify({ tag: 'VCALENDAR', 'C:supported-calendar-component-set': 'VEVENT' }),
  );
  writeFileSync(join(addressbookDir, '.Radicale.props'), JSON.stringify({ tag: 'VADDRESSBOOK' }));
  const port = await freePort();
  const config = join(dir, 'config');
  writeFileSync(
    config,
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      'max_connections = 16',
      'timeout = 300',
      '',
      '[auth]',
      'type = none',
      '',
      '[rights]',
      'type = owner_only',
      '',
      '[storage]',
      'type = multifilesystem',
      `filesystem_folder = ${join(dir, 'collections')}`,
      '',
      '[web]',
      'type = none',
      '',
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'radicale.log');
  const fd = openSync(logFile, 'a');
  const child = track(spawn(python, ['-m', 'radicale', '-C', config], { stdio: ['ignore', fd, fd], cwd: dir }));
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  await waitListening(url, child, () => tail(logFile));
  return {
    name: 'radicale',
    url,
    pid: child.pid!,
    calendar: `/${BENCH_USER}/calendar/`,
    addressbook: `/${BENCH_USER}/contacts/`,
    calendarDir,
    addressbookDir,
    async dataBytes() {
      return dirBytes(join(dir, 'collections'));
    },
    ...processMembers(child, dir, () => tail(logFile)),
  };
}

/**
 * The floor: answers every request with the bytes stored under its `x-floor` header key, from
 * memory. Bodies are handed over as files in a directory the floor reads lazily.
 */
export interface FloorServer extends Running {
  /** Register a body under a key (written to the floor's directory). */
  put(key: string, status: number, body: Buffer): void;
}

export async function startFloor(): Promise<FloorServer> {
  const dir = mkdtempSync(join(tmpdir(), 'floor-bench-'));
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [join(import.meta.dirname, 'floor-server.js'), String(port), dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitListening(url, child, () => '');
  return {
    name: 'floor',
    url,
    pid: child.pid!,
    calendar: '/',
    addressbook: '/',
    put(key, status, body) {
      writeFileSync(join(dir, `${encodeURIComponent(key)}.${status}`), body);
    },
    async dataBytes() {
      return 0;
    },
    ...processMembers(child, dir, () => ''),
  };
}
