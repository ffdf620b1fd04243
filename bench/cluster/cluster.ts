/**
 * A cluster on one machine (issue #21): N `almanac serve` processes on one PostgreSQL database
 * and Debian's HAProxy in front, round-robin per request with no sticky sessions, all on
 * 127.0.0.1. Used by `npm run cluster` (cluster/main.ts), the tests under test/e2e/cluster/ and
 * the benchmark's `--cluster` runs. See docs/SCALING.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser, homePaths } from '../../src/domain/users.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { freeLoopbackPort, waitForListening } from '../../test/helpers/tcp.js';
import { track } from '../servers.js';
import { ACCESS_LOG_PREFIX, haproxyConfig } from './haproxy-config.js';
import { SERVE_NODE_FLAGS } from '../serve-flags.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const ALMANAC = join(REPO, 'bin', 'almanac.js');
const HAPROXY = process.env.ALMANAC_HAPROXY ?? '/usr/sbin/haproxy';

function tail(file: string, bytes = 3000): string {
  try {
    return readFileSync(file, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  child.kill(signal);
  await exitOf(child);
  clearTimeout(timer);
}

/** User + system CPU of a process, ms (0 when it is gone); its resident memory, bytes. */
export { readCpuMs as cpuMsOf, readRss as rssOf } from '../servers.js';

interface ClusterNode {
  /** 1-based, as HAProxy names it (`n1`, `n2`…). */
  readonly index: number;
  readonly port: number;
  /** The node itself, bypassing the balancer. */
  readonly url: string;
  /** The current process id (changes on restart). */
  pid(): number;
  alive(): boolean;
  /** `kill -9` (or another signal) and wait until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start the node again on the same port and wait until it answers. */
  start(): Promise<void>;
  logTail(): string;
}

export interface Cluster {
  /** The balancer's base URL (http://127.0.0.1:PORT), no trailing slash. */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  readonly database: string;
  /** HAProxy's pid. */
  readonly balancerPid: number;
  /** With `accessLog`: every request so far, in order, as HAProxy logged it. */
  accessLog(): { node: string; method: string; uri: string; status: number }[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** postgres://… of an existing (empty or Almanac) database. */
  readonly database: string;
  readonly nodes: number;
  /** Users to create before the nodes start, name → password. */
  readonly users?: Record<string, string>;
  /** Extra environment for node `i` (1-based), e.g. a shifted clock. */
  readonly nodeEnv?: (index: number) => Record<string, string>;
  /** Extra `almanac serve` flags for every node. */
  readonly serveArgs?: readonly string[];
  /** HAProxy's own port; default a free one. */
  readonly port?: number;
  /** HAProxy logs every request and the node that served it (Cluster.accessLog). */
  readonly accessLog?: boolean;
  /** Where logs and configs go; default a new temp directory, removed by stop(). */
  readonly dir?: string;
}

/** Create users (and the schema) before any node starts, so no node races another's migration. */
async function prepareDatabase(url: string, users: Record<string, string>): Promise<void> {
  const store = await openPostgresStore(url);
  try {
    for (const [name, password] of Object.entries(users)) {
      if (await store.getUserByName(name)) continue;
      await store.transaction(Object.values(homePaths(name)), (tx) =>
        createUser(tx, { name, password, email: `${name}@example.com` }),
      );
    }
  } finally {
    await store.close();
  }
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`node exited: ${log()}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`node at ${url} did not become healthy: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function makeNode(index: number, port: number, dir: string, options: ClusterOptions): ClusterNode {
  const logFile = join(dir, `node${index}.log`);
  const data = join(dir, `node${index}`);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const node: ClusterNode = {
    index,
    port,
    url,
    pid: () => child?.pid ?? 0,
    alive: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child) await stopChild(child, signal);
    },
    async start() {
      const fd = openSync(logFile, 'a');
      const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--data', data];
      // The balancer is a trusted proxy: its X-Forwarded-For names the client (throttling, logs).
      args.push('--database', options.database, '--trusted-proxies', '127.0.0.1', ...(options.serveArgs ?? []));
      child = track(
        spawn(process.execPath, [...SERVE_NODE_FLAGS, ALMANAC, ...args], {
          stdio: ['ignore', fd, fd],
          cwd: dir,
          env: { ...process.env, ...options.nodeEnv?.(index) },
        }),
      );
      closeSync(fd);
      await waitHealthy(url, child, () => tail(logFile));
    },
    logTail: () => tail(logFile),
  };
  return node;
}

/** Start N nodes and HAProxy; resolves once every node answers /healthz and HAProxy listens. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'almanac-cluster-'));
  await prepareDatabase(options.database, options.users ?? {});
  const nodes: ClusterNode[] = [];
  for (let i = 1; i <= options.nodes; i++) nodes.push(makeNode(i, await freeLoopbackPort(), dir, options));
  let balancer: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (balancer) await stopChild(balancer, 'SIGUSR1'); // SIGUSR1: soft stop
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
    const port = options.port ?? (await freeLoopbackPort());
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(port, nodes, options.accessLog));
    const logFile = join(dir, 'haproxy.log');
    const fd = openSync(logFile, 'a');
    // -db: stay in the foreground, not a daemon, so the process is ours to stop.
    balancer = track(spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', fd, fd], cwd: dir }));
    closeSync(fd);
    const b = balancer;
    await waitForListening(port, Date.now() + 15_000, () => b.exitCode !== null, `haproxy (${tail(logFile)})`);
    const accessLog = (): { node: string; method: string; uri: string; status: number }[] =>
      tail(logFile, Infinity)
        .split('\n')
        .filter((l) => l.startsWith(ACCESS_LOG_PREFIX))
        .map((l) => {
          const [node = '', method = '', uri = '', status = '0'] = l.slice(ACCESS_LOG_PREFIX.length).split(' ');
          return { node, method, uri, status: Number(status) };
        });
    return { url: `http://127.0.0.1:${port}`, nodes, database: options.database, balancerPid: b.pid!, stop, accessLog };
  } catch (err) {
    await stop();
    throw err;
  }
}
