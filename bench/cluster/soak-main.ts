/**
 * `npm run cluster:soak [-- --seconds 600] [--nodes 3] [--clients 8] [--browsers 20]`: the soak
 * (docs/SCALING.md). Several `--nodes 1,2,3` run one after another on fresh databases, for the
 * throughput and CPU per request with 1, 2 and 3 nodes. Without --database a private PostgreSQL
 * is created. Exits 1 on any error, on RSS growth past --rss-growth-mb per node, or on more
 * database connections than the nodes' pools allow.
 */
import { parseArgs } from 'node:util';
import { startCluster } from './cluster.js';
import { startPrivatePostgres } from './private-postgres.js';
import { soak } from './soak.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    nodes: { type: 'string', default: '3' },
    clients: { type: 'string', default: '8' },
    browsers: { type: 'string', default: '20' },
    'rss-growth-mb': { type: 'string', default: '64' },
  },
});
const MB = 1024 * 1024;
/** Per node: the store's pool (10), the notice pool (2) and the LISTEN connection. */
const CONNECTIONS_PER_NODE = 13;
const users = ['alice', 'bob', 'carol', 'dave'];
let failed = false;
const pg = await startPrivatePostgres();
try {
  for (const n of values.nodes.split(',').map(Number)) {
    const database = `almanac_${n}`;
    const { spawnSync } = await import('node:child_process');
    spawnSync('psql', [pg.url, '-qc', `CREATE DATABASE ${database}`]);
    const url = pg.url.replace(/\/almanac$/, `/${database}`);
    const cluster = await startCluster({
      database: url,
      nodes: n,
      users: Object.fromEntries(users.map((u) => [u, `${u}-pw`])),
    });
    try {
      const r = await soak(cluster, {
        seconds: Number(values.seconds),
        clients: Number(values.clients),
        browsers: Number(values.browsers),
        users,
      });
      const growth = r.rss.map((x) => (x.last - x.first) / MB);
      process.stdout.write(
        [
          `nodes ${n}: ${r.requests} requests in ${values.seconds} s = ${r.requestsPerSecond.toFixed(1)}/s; ${JSON.stringify(r.byKind)}`,
          `  server CPU ${r.cpuMsPerRequest.toFixed(2)} ms/request (all nodes); SSE events ${r.sseEvents}; database connections max ${r.maxDbConnections}`,
          `  RSS MB (first after warm-up → last, peak): ${r.rss.map((x) => `n${x.node} ${(x.first / MB).toFixed(0)} → ${(x.last / MB).toFixed(0)}, ${(x.peak / MB).toFixed(0)}`).join('; ')}`,
          `  errors: ${r.errors.length === 0 ? 0 : r.errors.join(' | ')}`,
          '',
        ].join('\n'),
      );
      if (
        r.errors.length > 0 ||
        growth.some((g) => g > Number(values['rss-growth-mb'])) ||
        r.maxDbConnections > n * CONNECTIONS_PER_NODE
      )
        failed = true;
    } finally {
      await cluster.stop();
    }
  }
} finally {
  pg.destroy();
}
process.exit(failed ? 1 : 0);
