/**
 * An interleaved A/B of two builds on the read phases (issue #20): the CPU time Almanac spends
 * per computed request, measured in alternating rounds so that the machine's drift (on a busy
 * 2-core machine its speed moves by a third from one hour to the next) falls on both builds
 * alike. The way docs/PERFORMANCE.md asks changes to be compared.
 *
 *   npm run bench:ab -- --against DIR [--phases month,expand] [--rounds 10] [--per 100]
 *                       [--concurrency 4] [--size 1k | --events N --contacts M] [--postgres]
 *
 * DIR is another checkout of Almanac, built (`npx tsc` there; a `git worktree add` of the commit
 * to compare, with this checkout's node_modules linked in, will do). Each build serves its own
 * store (SQLite, or a throwaway PostgreSQL database each) filled with the same data set by PUT.
 * For each phase, every round sends the same `per` distinct requests (with Cache-Control:
 * no-cache, each answer checked as the bench checks it) to one build and then the other, the
 * order alternating; the server's CPU time (/proc, user + system, its threads included) over the
 * round is divided by `per`. Printed: the median per build, their ratio, and every round.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { send, target } from './client.js';
import { PHASE_ALIASES, READ_PHASES, SIZES } from './bench.js';
import { generate } from './generator.js';
import { populateByPut } from './phases/populate.js';
import type { BenchOptions, Ctx, QueryPhase } from './phases/common.js';
import { BENCH_PASSWORD, BENCH_USER, startAlmanac, type Running } from './servers.js';

/** The read phases by the names `npm run bench -- --only` takes (propfind, month, expand, …). */
const PHASES: Readonly<Record<string, QueryPhase>> = Object.fromEntries(
  Object.entries(PHASE_ALIASES).flatMap(([alias, name]) =>
    READ_PHASES.filter((p) => p.name === name).map((p) => [alias, p]),
  ),
);

function fail(message: string): never {
  process.stderr.write(`bench:ab: ${message}\n`);
  process.exit(2);
}

const options = {
  against: { type: 'string' },
  phases: { type: 'string', default: 'propfind,month,expand,multiget,fn,ab-multiget,freebusy' },
  rounds: { type: 'string', default: '10' },
  per: { type: 'string', default: '100' },
  concurrency: { type: 'string', default: '4' },
  size: { type: 'string', default: '1k' },
  events: { type: 'string' },
  contacts: { type: 'string' },
  postgres: { type: 'boolean', default: false },
} as const;
const { values } = (() => {
  try {
    return parseArgs({ options });
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
})();

if (!values.against) fail('--against DIR (another built checkout) is required');
const against = resolve(values.against);
if (!existsSync(join(against, 'dist', 'src', 'main.js')))
  fail(`${against} is not a built checkout of Almanac (no dist/src/main.js: run npx tsc there)`);
const rounds = Number(values.rounds);
const per = Number(values.per);
const concurrency = Number(values.concurrency);
if (![rounds, per, concurrency].every((n) => Number.isInteger(n) && n > 0 && n <= 10_000))
  fail('--rounds, --per and --concurrency are whole numbers from 1 to 10,000');
const size =
  values.events !== undefined || values.contacts !== undefined
    ? { events: Number(values.events ?? 0), contacts: Number(values.contacts ?? 0) }
    : (SIZES[values.size] ?? fail(`unknown size ${values.size} (${Object.keys(SIZES).join(', ')})`));
if (![size.events, size.contacts].every((n) => Number.isInteger(n) && n >= 0 && n <= 1_000_000))
  fail('--events and --contacts are whole numbers up to 1,000,000');
const phases = values.phases
  .split(',')
  .map((p) => PHASES[p.trim()] ?? fail(`unknown phase ${p} (${Object.keys(PHASES).join(', ')})`));

const opts: BenchOptions = {
  concurrency,
  requests: rounds * per,
  phaseMs: 30 * 60_000,
  mixedMs: 0,
  radicalePutSample: 0,
  only: null,
  verbose: false,
};
const ds = generate(size.events, size.contacts);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

interface Side {
  readonly label: string;
  readonly server: Running;
  readonly ctx: Ctx;
  readonly drop: () => Promise<void>;
}

async function side(label: string, checkout: string | undefined): Promise<Side> {
  let database: { url: string; drop(): Promise<void> } | null = null;
  if (values.postgres) {
    const { postgresAvailable, createThrowawayDatabase } = await import('../test/helpers/postgres.js');
    if (!(await postgresAvailable())) fail('no PostgreSQL at 127.0.0.1:5432');
    database = await createThrowawayDatabase();
  }
  const server = await startAlmanac({
    ...(database ? { database: database.url } : {}),
    ...(checkout ? { checkout } : {}),
  });
  const ctx: Ctx = {
    ds,
    server,
    t: target(label, server.url, BENCH_USER, BENCH_PASSWORD, concurrency),
    opts,
    log,
    isReference: false,
  };
  log(
    `${label}: ${checkout ?? 'this checkout'} at ${server.url}, populating ${size.events} events, ${size.contacts} contacts`,
  );
  await populateByPut(ctx);
  return {
    label,
    server,
    ctx,
    drop: async () => {
      await server.stop();
      await database?.drop();
    },
  };
}

/** `per` requests of `keys` to one side with `concurrency` lanes; its CPU µs per request. */
async function round(s: Side, phase: QueryPhase, keys: readonly string[]): Promise<number> {
  const before = s.server.cpuMs();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const req = phase.request(s.ctx, key);
      const res = await send(s.ctx.t, { ...req, headers: { ...req.headers, 'Cache-Control': 'no-cache' } });
      const problems = phase.check(s.ctx, key, res);
      if (problems.length > 0) throw new Error(`${s.label} ${phase.name} ${key}: ${problems[0]}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return ((s.server.cpuMs() - before) * 1000) / keys.length;
}

/**
 * CPU time a round must take for its figure to mean much: /proc counts a process's CPU in clock
 * ticks (10 ms on Linux), so a shorter round reads as 0 or one tick.
 */
const MEASURABLE_ROUND_MS = 100;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const a = await side('A', against);
const b = await side('B', undefined).catch(async (err: unknown) => {
  await a.drop();
  throw err;
});
try {
  for (const phase of phases) {
    // Distinct keys, the same for both builds; reused in turn where a phase has fewer. A first
    // round, not counted, warms both up (compiled code, kept listings).
    const keys = phase.keys(a.ctx, rounds * per);
    if (keys.length === 0) fail(`${phase.name}: no requests for this data set`);
    const keysOf = (r: number): string[] => Array.from({ length: per }, (_, i) => keys[(r * per + i) % keys.length]!);
    for (const s of [a, b]) await round(s, phase, keysOf(0));
    const cpu: Record<'A' | 'B', number[]> = { A: [], B: [] };
    for (let r = 0; r < rounds; r++) {
      for (const s of r % 2 === 0 ? [a, b] : [b, a]) cpu[s.label as 'A' | 'B'].push(await round(s, phase, keysOf(r)));
    }
    const [ma, mb] = [median(cpu.A), median(cpu.B)];
    // No ratio of a median that read as no CPU at all (rounds far too short to measure).
    const ratio = ma > 0 ? (mb / ma).toFixed(3) : '-';
    log(`${phase.name.padEnd(28)} CPU µs/request median A ${ma.toFixed(0)}  B ${mb.toFixed(0)}  B/A ${ratio}`);
    log(`  A ${cpu.A.map((x) => x.toFixed(0)).join(' ')}`);
    log(`  B ${cpu.B.map((x) => x.toFixed(0)).join(' ')}`);
    const shortest = (Math.min(...cpu.A, ...cpu.B) * per) / 1000;
    if (shortest < MEASURABLE_ROUND_MS)
      log(
        `  (a round took ${shortest.toFixed(0)} ms of CPU: /proc counts it in 10 ms ticks, so these figures are coarse; raise --per)`,
      );
  }
} finally {
  await a.drop();
  await b.drop();
}
