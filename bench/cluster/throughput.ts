/**
 * The benchmark's own mixed phase (bench/phases/mixed.ts: 70 % checked reads, 30 % edits) through
 * the balancer of a cluster (issue #21 item 6), with the CPU it cost: every node process, the
 * PostgreSQL server (postmaster and every backend, including the backends that exited: their
 * time is in the postmaster's reaped-children fields) and HAProxy, each per request.
 */
import { target } from '../client.js';
import type { DataSet } from '../generator.js';
import type { BenchOptions, Ctx, PhaseResult } from '../phases/common.js';
import { runMixed } from '../phases/mixed.js';
import { populateByPut } from '../phases/populate.js';
import { BENCH_PASSWORD, BENCH_USER, readCpuMs, readRss, readTreeCpuMs, type Running } from '../servers.js';
import type { Cluster } from './cluster.js';

export interface ClusterMixedResult {
  readonly nodes: number;
  readonly mixed: PhaseResult;
  /** CPU ms per request: all nodes together, PostgreSQL (all its processes), HAProxy. */
  readonly cpuMs: { readonly nodes: number; readonly postgres: number; readonly balancer: number };
  /** Each node's RSS at the end, bytes. */
  readonly rss: readonly number[];
}

/** The cluster as the benchmark's phases see a server: its balancer's URL, the nodes' CPU. */
function asRunning(cluster: Cluster): Running {
  const nodesCpu = (): number => cluster.nodes.reduce((s, n) => s + readCpuMs(n.pid()), 0);
  const rss = (): number => cluster.nodes.reduce((s, n) => s + readRss(n.pid()), 0);
  return {
    name: `cluster-${cluster.nodes.length}`,
    url: cluster.url,
    pid: cluster.nodes[0]!.pid(),
    calendar: `/dav/calendars/${BENCH_USER}/default/`,
    addressbook: `/dav/addressbooks/${BENCH_USER}/default/`,
    dataBytes: () => Promise.resolve(0),
    rss: () => ({ peak: rss(), last: rss() }),
    rssWindowPeak: rss,
    cpuMs: nodesCpu,
    stop: () => cluster.stop(),
    logTail: () => cluster.nodes.map((n) => n.logTail()).join('\n'),
  };
}

function context(cluster: Cluster, ds: DataSet, opts: BenchOptions, log: (l: string) => void): Ctx {
  return {
    ds,
    server: asRunning(cluster),
    t: target(`cluster-${cluster.nodes.length}`, cluster.url, BENCH_USER, BENCH_PASSWORD, opts.concurrency),
    opts,
    log,
    isReference: false,
  };
}

/** PUT the whole data set through the balancer (once per database). */
export async function populateThroughCluster(
  cluster: Cluster,
  ds: DataSet,
  opts: BenchOptions,
  log: (l: string) => void,
): Promise<PhaseResult[]> {
  const ctx = context(cluster, ds, opts, log);
  try {
    return await populateByPut(ctx);
  } finally {
    ctx.t.agent.destroy();
  }
}

/**
 * The mixed phase through the balancer; `postgresPid` is the postmaster's (0: PostgreSQL's CPU
 * is not measured). Each node checks the bench user's password once before (scrypt, not part of
 * the load: nodes remember a verified credential), and `warmupMs` of the same load runs
 * unmeasured first, so that fresh nodes have compiled their code and filled their caches as a
 * node that has been serving for a while has.
 */
export async function mixedThroughCluster(
  cluster: Cluster,
  ds: DataSet,
  opts: BenchOptions,
  postgresPid: number,
  log: (l: string) => void,
  warmupMs = 0,
): Promise<ClusterMixedResult> {
  const auth = `Basic ${Buffer.from(`${BENCH_USER}:${BENCH_PASSWORD}`).toString('base64')}`;
  for (const n of cluster.nodes) {
    const res = await fetch(`${n.url}/dav/calendars/${BENCH_USER}/`, {
      method: 'PROPFIND',
      headers: { Depth: '0', Authorization: auth },
    });
    await res.arrayBuffer();
  }
  if (warmupMs > 0) {
    const warm = context(cluster, ds, { ...opts, mixedMs: warmupMs }, log);
    try {
      await runMixed(warm, new Set(['month', 'multiget', 'fn']));
    } finally {
      warm.t.agent.destroy();
    }
  }
  const ctx = context(cluster, ds, opts, log);
  const pg0 = postgresPid ? readTreeCpuMs(postgresPid) : 0;
  const lb0 = readCpuMs(cluster.balancerPid);
  const nodes0 = ctx.server.cpuMs();
  try {
    const mixed = await runMixed(ctx, new Set(['month', 'multiget', 'fn']));
    const count = mixed.stats?.count ?? 0;
    const per = (ms: number): number => (count > 0 ? ms / count : 0);
    return {
      nodes: cluster.nodes.length,
      mixed,
      cpuMs: {
        nodes: per(ctx.server.cpuMs() - nodes0),
        postgres: postgresPid ? per(readTreeCpuMs(postgresPid) - pg0) : 0,
        balancer: per(readCpuMs(cluster.balancerPid) - lb0),
      },
      rss: cluster.nodes.map((n) => readRss(n.pid())),
    };
  } finally {
    ctx.t.agent.destroy();
  }
}
