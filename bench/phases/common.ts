import { createHash } from 'node:crypto';
import { load, send, type Req, type Res, type Stats, type Target } from '../client.js';
import type { DataSet } from '../generator.js';
import type { Running } from '../servers.js';

export interface BenchOptions {
  readonly concurrency: number;
  /** Requests per measured read phase. */
  readonly requests: number;
  /** Time bound of each measured phase, ms. */
  readonly phaseMs: number;
  /** Mixed load duration, ms. */
  readonly mixedMs: number;
  /** Radicale populate: how many PUTs are measured (the rest is written to its folder directly). */
  readonly radicalePutSample: number;
  readonly only: ReadonlySet<string> | null;
  readonly verbose: boolean;
}

type PhaseStatus = 'ok' | 'unsupported' | 'failed' | 'skipped';

export interface PhaseResult {
  readonly phase: string;
  readonly status: PhaseStatus;
  /**
   * Read phases: every request distinct (its own window, batch, term or token) and sent with
   * `Cache-Control: no-cache`, so every answer is computed. Other phases: as they are.
   */
  readonly stats?: Stats;
  /** The server process's CPU time (user + system) per measured request, ms. */
  readonly cpuPerRequestMs?: number;
  /**
   * Almanac's read phases, secondary: a handful of requests repeated without no-cache, which
   * the report answer cache may serve from memory.
   */
  readonly cached?: { readonly stats: Stats; readonly cpuPerRequestMs?: number };
  readonly note?: string;
  /** The first few problems seen (wrong answers, errors). */
  readonly problems: string[];
}

export interface Ctx {
  readonly ds: DataSet;
  readonly server: Running;
  readonly t: Target;
  readonly opts: BenchOptions;
  /** Set while running Almanac on SQLite: response bytes per request key, for the floor. */
  readonly record?: (key: string, status: number, body: Buffer) => void;
  readonly log: (line: string) => void;
  /** Almanac on SQLite: its answers are what the floor sends back. */
  readonly isReference: boolean;
  /** Keys each read phase measured, in order (the floor replays them). */
  readonly measuredKeys?: Map<string, string[]>;
}

/**
 * A read phase. `keys(ctx, n)` gives up to n distinct request keys: the first WARM_KEYS warm the
 * server up (and find out whether it does the report), each of the rest is sent once, measured.
 */
export interface QueryPhase {
  readonly name: string;
  readonly floorable: boolean;
  keys(ctx: Ctx, n: number): string[];
  request(ctx: Ctx, key: string): Req;
  check(ctx: Ctx, key: string, res: Res): string[];
  /** How many measured requests (default: opts.requests). */
  count?(ctx: Ctx): number;
}

/** Unmeasured requests before each read phase; also the keys repeated for the cached figure. */
const WARM_KEYS = 3;

const MAX_PROBLEMS = 10;

/**
 * Run a measured load and return its stats with the server's CPU time per request: a figure
 * that, unlike p50 at concurrency C, does not move with what else the machine is doing.
 */
export async function measuredLoad(
  server: Running,
  run: () => Promise<Stats>,
): Promise<{ stats: Stats; cpuPerRequestMs?: number }> {
  const before = server.cpuMs();
  const stats = await run();
  const used = server.cpuMs() - before;
  return before > 0 && stats.count > 0 ? { stats, cpuPerRequestMs: used / stats.count } : { stats };
}

export function problemSink(
  phase: string,
  server: string,
  into: string[],
  log: (l: string) => void,
): (i: number, p: string[]) => void {
  return (i, p) => {
    for (const x of p) {
      if (into.length < MAX_PROBLEMS) {
        into.push(x);
        log(`  !! ${server} ${phase} #${i}: ${x}`);
      }
    }
  };
}

/** Status codes meaning "this server does not do that report". */
function unsupportedStatus(res: Res): boolean {
  if (res.status === 501 || res.status === 405) return true;
  if (res.status === 403 || res.status === 400 || res.status === 415) {
    return /supported-report|not supported|not implemented|unsupported/i.test(res.body.toString('utf8'));
  }
  return false;
}

function sha(b: Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}

interface WarmedUp {
  /** Hashes of the verified answer of each warm-up key. */
  readonly verified: Map<string, Set<string>>;
  /** A peer's wrong warm-up answers (timed anyway). */
  readonly wrongKeys: string[];
}

/**
 * The unmeasured warm-up requests, each checked: a result when the phase ends here (the server
 * does not do the report, gave no answer, or Almanac answered wrongly).
 */
async function warmUp(
  ctx: Ctx,
  phase: QueryPhase,
  warm: readonly string[],
  problems: string[],
  sink: (i: number, p: string[]) => void,
): Promise<WarmedUp | PhaseResult> {
  const verified = new Map<string, Set<string>>();
  const wrongKeys: string[] = [];
  for (const key of warm) {
    let res: Res;
    try {
      res = await send(ctx.t, phase.request(ctx, key));
    } catch (err) {
      // A timeout or a dropped connection: the phase cannot be timed on this server.
      sink(-1, [String((err as Error).message ?? err)]);
      return {
        phase: phase.name,
        status: 'failed',
        problems,
        note: `no answer for ${key}: ${String((err as Error).message ?? err)}`,
      };
    }
    if (unsupportedStatus(res)) {
      return {
        phase: phase.name,
        status: 'unsupported',
        problems: [],
        note: `HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 160).replace(/\s+/g, ' ')}`,
      };
    }
    const p = phase.check(ctx, key, res);
    if (p.length > 0) {
      sink(-1, p);
      wrongKeys.push(`${key} (HTTP ${res.status}, ${p.length} problems)`);
      // Almanac stops here: a fast wrong answer never counts. Other servers are still timed,
      // so their speed can be shown, marked wrong.
      if (ctx.server.name.startsWith('almanac'))
        return { phase: phase.name, status: 'failed', problems, note: `wrong answer for ${wrongKeys[0]}` };
    }
    verified.set(key, new Set(p.length === 0 ? [sha(res.body)] : []));
  }
  return { verified, wrongKeys };
}

/**
 * Run a read phase: WARM_KEYS unmeasured, checked requests (a server that does not do the report
 * stops here), then the measured requests, each key once with `Cache-Control: no-cache`, every
 * answer checked and (reference run) recorded for the floor. Almanac's runs add the cached figure:
 * the warm-up keys repeated without no-cache.
 */
export async function runQueryPhase(ctx: Ctx, phase: QueryPhase): Promise<PhaseResult> {
  const count = phase.count?.(ctx) ?? ctx.opts.requests;
  const all = phase.keys(ctx, WARM_KEYS + count);
  const warm = all.slice(0, WARM_KEYS);
  const measured = all.slice(WARM_KEYS);
  const problems: string[] = [];
  const sink = problemSink(phase.name, ctx.server.name, problems, ctx.log);
  const almanac = ctx.server.name.startsWith('almanac');
  const warmed = await warmUp(ctx, phase, warm, problems, sink);
  if ('phase' in warmed) return warmed;
  const { verified, wrongKeys } = warmed;
  const opts = { concurrency: ctx.opts.concurrency, count: measured.length, maxMs: ctx.opts.phaseMs };
  const used: string[] = [];
  const { stats, cpuPerRequestMs } = await measuredLoad(ctx.server, () =>
    load(
      opts,
      async (i) => {
        const key = measured[i]!;
        used.push(key);
        const req = phase.request(ctx, key);
        const res = await send(ctx.t, { ...req, headers: { ...req.headers, 'Cache-Control': 'no-cache' } });
        const p = phase.check(ctx, key, res);
        if (p.length === 0) ctx.record?.(`${phase.name}:${key}`, res.status, res.body);
        return { res, problems: p };
      },
      sink,
    ),
  );
  ctx.measuredKeys?.set(phase.name, used);
  // The cached figure: the warm-up keys repeated (an answer byte-identical to a verified one is accepted).
  const cached = almanac
    ? await measuredLoad(ctx.server, () =>
        load(
          { ...opts, count: Math.max(WARM_KEYS, measured.length) },
          async (i) => {
            const key = warm[i % warm.length]!;
            const res = await send(ctx.t, phase.request(ctx, key));
            const known = verified.get(key)!;
            if (res.status < 300 && known.has(sha(res.body))) return { res, problems: [] };
            return { res, problems: phase.check(ctx, key, res) };
          },
          sink,
        ),
      )
    : undefined;
  if (cached) {
    ctx.log(
      `  ${ctx.server.name} ${phase.name} (cached, ${warm.length} requests repeated): ${cached.stats.opsPerSec.toFixed(1)} ops/s p50 ${cached.stats.p50.toFixed(2)} ms` +
        `${cached.cpuPerRequestMs === undefined ? '' : `, server CPU ${(cached.cpuPerRequestMs * 1000).toFixed(0)} µs/request`}`,
    );
  }
  const bad = stats.errors + stats.wrong + wrongKeys.length + (cached ? cached.stats.errors + cached.stats.wrong : 0);
  return {
    phase: phase.name,
    status: bad > 0 ? 'failed' : 'ok',
    stats,
    ...(cpuPerRequestMs === undefined ? {} : { cpuPerRequestMs }),
    ...(cached ? { cached } : {}),
    problems,
    ...(wrongKeys.length ? { note: `wrong answers (timed anyway) for ${wrongKeys.join(', ')}` } : {}),
  };
}

/** The same requests against the floor server, which answers the recorded bytes. */
export async function runFloorPhase(ctx: Ctx, phase: QueryPhase, reference: Ctx): Promise<PhaseResult> {
  const keys = reference.measuredKeys?.get(phase.name) ?? [];
  const problems: string[] = [];
  const sink = problemSink(phase.name, 'floor', problems, ctx.log);
  const floorReq = (key: string): Req => {
    const req = phase.request(reference, key);
    return { ...req, headers: { ...req.headers, 'x-floor': `${phase.name}:${key}` } };
  };
  for (const key of keys.slice(0, WARM_KEYS)) await send(ctx.t, floorReq(key));
  const { stats, cpuPerRequestMs } = await measuredLoad(ctx.server, () =>
    load(
      { concurrency: ctx.opts.concurrency, count: keys.length, maxMs: ctx.opts.phaseMs },
      async (i) => {
        const res = await send(ctx.t, floorReq(keys[i]!));
        return { res, problems: res.status >= 400 ? [`floor answered ${res.status}`] : [] };
      },
      sink,
    ),
  );
  return {
    phase: phase.name,
    status: stats.errors > 0 ? 'failed' : 'ok',
    stats,
    ...(cpuPerRequestMs === undefined ? {} : { cpuPerRequestMs }),
    problems,
  };
}

export const XML_HEADERS = { 'Content-Type': 'application/xml; charset=utf-8' };

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function hrefOf(collection: string, name: string): string {
  return `${collection}${encodeURIComponent(name)}`;
}
