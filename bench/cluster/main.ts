/**
 * `npm run cluster [-- --nodes N] [--database URL] [--port P]`: a local Almanac cluster
 * (docs/SCALING.md). Without --database it creates a private PostgreSQL in a temp directory.
 * Creates user `demo` (password `demo-password`) and runs until Ctrl-C, then stops everything.
 */
import { parseArgs } from 'node:util';
import { startCluster } from './cluster.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    database: { type: 'string' },
    port: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write('usage: npm run cluster -- [--nodes N] [--database postgres://…] [--port P]\n');
  process.exit(0);
}
const nodes = Number(values.nodes);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) throw new Error('--nodes expects 1…16');

let pg: PrivatePostgres | undefined;
const database = values.database ?? (pg = await startPrivatePostgres()).url;
const cluster = await startCluster({
  database,
  nodes,
  users: { demo: 'demo-password' },
  ...(values.port ? { port: Number(values.port) } : {}),
});
const lines = [
  `PostgreSQL: ${pg ? `private, ${database}` : database}`,
  ...cluster.nodes.map((n) => `node ${n.index}: ${n.url} (pid ${n.pid()})`),
  `HAProxy (round robin, no sticky sessions): ${cluster.url}/  (pid ${cluster.balancerPid})`,
  `Try: curl -u demo:demo-password -X PROPFIND -H 'Depth: 1' ${cluster.url}/dav/calendars/demo/`,
  'Ctrl-C stops the cluster.',
];
process.stdout.write(`${lines.join('\n')}\n`);
await new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
await cluster.stop();
pg?.destroy();
process.exit(0);
