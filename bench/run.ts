/**
 * `npm run bench [-- flags]`: the Almanac benchmark (issue #7). See README.md "Benchmark" and
 * docs/PERFORMANCE.md.
 *
 *   --size 1k|10k|100k[,…]  data set size(s) (default 1k: N=1,000 events, M=5,000 contacts);
 *                           also EVENTS/CONTACTS, e.g. --size 10000/1000,100000/1000
 *   --events N --contacts M custom size instead of --size
 *   --duration S            mixed-load seconds (default 30; 0 skips it)
 *   --requests R            measured requests per read phase (default 200)
 *   --phase-seconds S       time bound of each measured phase (default 20)
 *   --concurrency C         client connections (default 8)
 *   --only a,b              phases to run: propfind,month,expand,multiget,sync,fn,ab-multiget,mixed,
 *                           freebusy,responsive,web-month,web-contacts,web-keystroke,invite,after-change,push,
 *                           shared-home,delegates,import,sse
 *                           (populate always runs)
 *   --skip-radicale --skip-cyrus --skip-postgres --skip-floor
 *                           (Cyrus runs twice: as shipped, and with TCP_NODELAY; bench/cyrus.ts)
 *   --cpu-prof DIR          write V8 CPU profiles of the Almanac server to DIR
 *   --json FILE             also write the results as JSON
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PHASE_ALIASES, SIZES, almanacFailures, runSize, type RunConfig, type SizeSpec } from './bench.js';
import { renderGrowth, renderSize, renderTargets, type SizeRun } from './report.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1k' },
    events: { type: 'string' },
    contacts: { type: 'string' },
    duration: { type: 'string', default: '30' },
    requests: { type: 'string', default: '200' },
    'phase-seconds': { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
    'skip-radicale': { type: 'boolean', default: false },
    'skip-cyrus': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    'skip-floor': { type: 'boolean', default: false },
    'radicale-put-sample': { type: 'string', default: '1000' },
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: npm run bench -- [--size 1k|10k|100k[,…]] [--duration S] [--only phases] [--skip-radicale] [--skip-cyrus] [--skip-postgres] [--cpu-prof DIR]\n',
  );
  process.exit(0);
}

function int(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} expects a whole number, got ${v}`);
  return n;
}

let sizes: SizeSpec[];
if (values.events !== undefined || values.contacts !== undefined) {
  const events = int('events', values.events ?? '1000');
  const contacts = int('contacts', values.contacts ?? String(events * 5));
  sizes = [{ label: `${events}/${contacts}`, events, contacts }];
} else {
  sizes = values.size!.split(',').map((s) => {
    const custom = /^(\d+)\/(\d+)$/.exec(s.trim());
    if (custom) return { label: s.trim(), events: Number(custom[1]), contacts: Number(custom[2]) };
    const spec = SIZES[s.trim()];
    if (!spec) throw new Error(`unknown --size ${s} (1k, 10k, 100k, or EVENTS/CONTACTS)`);
    return spec;
  });
}

let only: Set<string> | null = null;
if (values.only) {
  only = new Set(
    values.only.split(',').map((s) => {
      const full = PHASE_ALIASES[s.trim()];
      if (!full) throw new Error(`unknown phase ${s} (${Object.keys(PHASE_ALIASES).join(', ')})`);
      return full;
    }),
  );
}

// Ctrl-C / SIGTERM: exit through process.exit so servers.ts stops the servers it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const started = Date.now();
const cfg: RunConfig = {
  concurrency: int('concurrency', values.concurrency),
  requests: int('requests', values.requests),
  phaseMs: int('phase-seconds', values['phase-seconds']) * 1000,
  mixedMs: int('duration', values.duration) * 1000,
  radicalePutSample: int('radicale-put-sample', values['radicale-put-sample']),
  only,
  verbose: values.verbose!,
  radicale: !values['skip-radicale'],
  cyrus: !values['skip-cyrus'],
  postgres: !values['skip-postgres'],
  floor: !values['skip-floor'],
  ...(values['cpu-prof'] ? { cpuProfDir: resolve(values['cpu-prof']) } : {}),
  log: (line) => process.stderr.write(`${line}\n`),
};

const results: SizeRun[] = [];
const failures: string[] = [];
for (const size of sizes) {
  const r = await runSize(size, cfg);
  results.push(r);
  failures.push(...almanacFailures(r));
  process.stdout.write(`\n${renderSize(r)}\n\n${renderTargets(r)}\n`);
}
const growth = renderGrowth(results);
if (growth) process.stdout.write(`\n${growth}\n`);
process.stdout.write(`\nnode ${process.version}, total ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
if (values.json) {
  mkdirSync(dirname(resolve(values.json)), { recursive: true });
  writeFileSync(values.json, JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
}
if (failures.length > 0) {
  process.stdout.write(
    `\nFAILED: Almanac gave wrong answers or errors:\n${failures.map((f) => `  ${f}`).join('\n')}\n`,
  );
  process.exit(1);
}
process.exit(0);
