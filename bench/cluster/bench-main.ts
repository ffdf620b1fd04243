/**
 * `npm run cluster:bench [-- --nodes 1,2,3] [--events 1000] [--contacts 5000] [--seconds 60]
 * [--warmup 15] [--concurrency 8]`: the benchmark's mixed phase through HAProxy with 1, 2 and 3
 * nodes on one private PostgreSQL (docs/SCALING.md "Throughput with 1, 2 and 3 nodes"). The data
 * set is PUT once; each node count then runs the same mixed load on it (its edits keep times,
 * UIDs and FNs, so every read stays checkable), after --warmup seconds of it unmeasured. Prints
 * requests/s, p50/p95 and the CPU per request of the nodes, PostgreSQL and HAProxy. Exits 1 on
 * any wrong answer or error.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { generate } from '../generator.js';
import { BENCH_PASSWORD, BENCH_USER } from '../servers.js';
import { startCluster } from './cluster.js';
import { startPrivatePostgres } from './private-postgres.js';
import { mixedThroughCluster, populateThroughCluster } from './throughput.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1,2,3' },
    events: { type: 'string', default: '1000' },
    contacts: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '8' },
  },
});
const counts = values.nodes.split(',').map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) throw new Error('--nodes expects 1…16, e.g. 1,2,3');
const opts = {
  concurrency: Number(values.concurrency),
  requests: 0,
  phaseMs: 0,
  mixedMs: Number(values.seconds) * 1000,
  radicalePutSample: 0,
  only: null,
  verbose: false,
};
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const ds = generate(Number(values.events), Number(values.contacts));
const pg = await startPrivatePostgres();
const rows: string[] = [];
let failed = false;
try {
  let populated = false;
  for (const n of counts) {
    const cluster = await startCluster({ database: pg.url, nodes: n, users: { [BENCH_USER]: BENCH_PASSWORD } });
    try {
      if (!populated) {
        for (const r of await populateThroughCluster(cluster, ds, opts, log)) {
          log(`populate ${r.phase} through ${n} node(s): ${r.stats?.count} PUTs, ${r.stats?.opsPerSec.toFixed(1)}/s`);
          if (r.status !== 'ok') failed = true;
        }
        populated = true;
      }
      const load = loadavg()[0]!;
      const r = await mixedThroughCluster(cluster, ds, opts, pg.pid(), log, Number(values.warmup) * 1000);
      const s = r.mixed.stats!;
      if (r.mixed.status !== 'ok') failed = true;
      const total = r.cpuMs.nodes + r.cpuMs.postgres + r.cpuMs.balancer;
      rows.push(
        `| ${n} | ${s.opsPerSec.toFixed(1)} | ${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} | ${r.cpuMs.nodes.toFixed(2)} | ${r.cpuMs.postgres.toFixed(2)} | ${r.cpuMs.balancer.toFixed(2)} | ${total.toFixed(2)} | ${r.rss.map((b) => (b / 1048576).toFixed(0)).join(', ')} | ${s.errors + s.wrong} | ${load.toFixed(1)} |`,
      );
      log(
        `nodes ${n}: ${s.count} requests, ${rows.at(-1)}${r.mixed.problems.length ? ` problems: ${r.mixed.problems.join(' | ')}` : ''}`,
      );
    } finally {
      await cluster.stop();
    }
  }
} finally {
  pg.destroy();
}
process.stdout.write(
  [
    `mixed-70r-30w through HAProxy, N=${values.events} events, M=${values.contacts} contacts, ${values.seconds} s per node count after ${values.warmup} s unmeasured, concurrency ${values.concurrency}, ${cpus().length} CPUs`,
    '',
    '| nodes | requests/s | p50 / p95 ms | CPU ms/request: nodes | PostgreSQL | HAProxy | total | RSS per node, end (MB) | errors + wrong | load average at start |',
    '| ----- | ---------- | ------------ | --------------------- | ---------- | ------- | ----- | ---------------------- | -------------- | --------------------- |',
    ...rows,
    '',
  ].join('\n'),
);
process.exit(failed ? 1 : 0);
