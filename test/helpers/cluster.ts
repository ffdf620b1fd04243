/**
 * Several `almanac serve` processes behind HAProxy on a throwaway PostgreSQL database
 * (bench/cluster/cluster.ts), for the tests under test/e2e/cluster/.
 */
import { existsSync } from 'node:fs';
import { startCluster, type Cluster, type ClusterOptions } from '../../bench/cluster/cluster.js';
import { createThrowawayDatabase } from './postgres.js';
import { basic } from './server.js';

export interface TestCluster extends Cluster {
  close(): Promise<void>;
}

const USERS = { alice: 'alice-pw', bob: 'bob-pw' };

/** Why cluster tests cannot run here (no HAProxy), or false. Under CI=true a missing HAProxy fails. */
export function haproxySkipReason(): string | false {
  if (existsSync(process.env.ALMANAC_HAPROXY ?? '/usr/sbin/haproxy')) return false;
  const msg = 'HAProxy is not installed (apt-get install haproxy)';
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true, so cluster tests must run`);
  return `${msg}; skipping cluster tests`;
}

/** N nodes + HAProxy on a fresh database of the machine's PostgreSQL (alice and bob exist). */
export async function startTestCluster(
  nodes: number,
  options: Omit<ClusterOptions, 'database' | 'nodes'> & { database?: string } = {},
): Promise<TestCluster> {
  const db = options.database === undefined ? await createThrowawayDatabase() : null;
  const database = options.database ?? db!.url;
  try {
    const cluster = await startCluster({ users: USERS, ...options, database, nodes });
    return {
      ...cluster,
      async close() {
        await cluster.stop();
        await db?.drop();
      },
    };
  } catch (err) {
    await db?.drop();
    throw err;
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Which node answered (HAProxy's X-Served-By), '' when asked directly. */
  readonly node: string;
}

export type Request = { method?: string; headers?: Record<string, string>; body?: string };

/** One request as `user`, read in full. */
export async function ask(base: string, path: string, init: Request = {}, user = 'alice'): Promise<Answer> {
  const res = await fetch(new URL(path, base), {
    method: init.method ?? 'GET',
    headers: { Authorization: basic(user, `${user}-pw`), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  return {
    status: res.status,
    headers: res.headers,
    text: await res.text(),
    node: res.headers.get('x-served-by') ?? '',
  };
}

/**
 * A client that retries as DAV clients do: a refused or cut connection, or 502/503/504 from the
 * balancer or a node, is tried again (after Retry-After, capped) up to `attempts` times.
 */
export async function askRetrying(
  base: string,
  path: string,
  init: Request = {},
  user = 'alice',
  attempts = 40,
): Promise<Answer & { tries: number }> {
  let last = '';
  for (let tries = 1; tries <= attempts; tries++) {
    try {
      const a = await ask(base, path, init, user);
      if (a.status !== 502 && a.status !== 503 && a.status !== 504) return { ...a, tries };
      last = `HTTP ${a.status}`;
      const after = Number(a.headers.get('retry-after') ?? '0');
      await new Promise((r) => setTimeout(r, Math.min(after * 1000, 250) || 100));
    } catch (err) {
      last = String((err as Error).cause ?? err);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${init.method ?? 'GET'} ${path}: still failing after ${attempts} tries (${last})`);
}
