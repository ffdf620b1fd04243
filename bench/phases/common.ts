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
  readonly stats?: Stats;
  /** The server process's CPU time (user + system) per measured request, ms. */
  readonly cpuPerRequestMs?: number;
  /**
   * The same requests measured again with `Cache-Control: no-cache` (Almanac's reference run):
   * every answer computed, none served from the report answer cache.
   */
  readonly computed?: { readonly stats: Stats; readonly cpuPerRequestMs?: number };
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
  /** Keys the phase used, with their first verified response (kept for the floor). */
  readonly isReference: boolean;
}

/** A read phase: a handful of distinct requests (keys), repeated, each answer checked. */
export interface QueryPhase {
  readonly name: string;
  readonly floorable: boolean;
  /** Distinct request keys, used round-robin. */
  keys(ctx: Ctx): string[];
  request(ctx: Ctx, key: string): Req;
  check(ctx: Ctx, key: string, res: Res): string[];
  /** How many measured requests (default: opts.requests). */
  count?(ctx: Ctx): number;
}

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

/**
 * Run a read phase: one unmeasured warm-up request per key (checked; its bytes recorded for the
 * floor), then `count` measured requests round-robin over the keys, every answer checked (a
 * byte-identical repeat of an already verified answer is accepted by hash).
 */
export async function runQueryPhase(ctx: Ctx, phase: QueryPhase): Promise<PhaseResult> {
  const keys = phase.keys(ctx);
  const problems: string[] = [];
  const sink = problemSink(phase.name, ctx.server.name, problems, ctx.log);
  const verified = new Map<string, Set<string>>();
  const wrongKeys: string[] = [];
  for (const key of keys) {
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
      if (ctx.server.name.startsWith('almanac')) {
        return { phase: phase.name, status: 'failed', problems, note: `wrong answer for ${wrongKeys[0]}` };
      }
    }
    verified.set(key, new Set(p.length === 0 ? [sha(res.body)] : []));
    ctx.record?.(`${phase.name}:${key}`, res.status, res.body);
  }
  const measure = (headers: Record<string, string>): ReturnType<typeof measuredLoad> =>
    measuredLoad(ctx.server, () =>
      load(
        { concurrency: ctx.opts.concurrency, count: phase.count?.(ctx) ?? ctx.opts.requests, maxMs: ctx.opts.phaseMs },
        async (i) => {
          const key = keys[i % keys.length]!;
          const req = phase.request(ctx, key);
          const res = await send(ctx.t, { ...req, headers: { ...req.headers, ...headers } });
          const known = verified.get(key)!;
          const h = sha(res.body);
          if (res.status < 300 && known.has(h)) return { res, problems: [] };
          const p = phase.check(ctx, key, res);
          if (p.length === 0 && known.size < 50) known.add(h);
          return { res, problems: p };
        },
        sink,
      ),
    );
  const { stats, cpuPerRequestMs } = await measure({});
  // Almanac keeps report answers while a collection is unchanged, and these phases repeat their
  // requests: measure them computed too, so both figures come from the same run.
  const computed = ctx.isReference && phase.floorable ? await measure({ 'Cache-Control': 'no-cache' }) : undefined;
  if (computed) {
    ctx.log(
      `  ${ctx.server.name} ${phase.name} (Cache-Control: no-cache): ${computed.stats.opsPerSec.toFixed(1)} ops/s p50 ${computed.stats.p50.toFixed(2)} ms` +
        `${computed.cpuPerRequestMs === undefined ? '' : `, server CPU ${(computed.cpuPerRequestMs * 1000).toFixed(0)} µs/request`}`,
    );
  }
  const bad =
    stats.errors + stats.wrong + wrongKeys.length + (computed ? computed.stats.errors + computed.stats.wrong : 0);
  return {
    phase: phase.name,
    status: bad > 0 ? 'failed' : 'ok',
    stats,
    ...(cpuPerRequestMs === undefined ? {} : { cpuPerRequestMs }),
    ...(computed ? { computed } : {}),
    problems,
    ...(wrongKeys.length ? { note: `wrong answers (timed anyway) for ${wrongKeys.join(', ')}` } : {}),
  };
}

/** The same requests against the floor server, which answers the recorded bytes. */
export async function runFloorPhase(ctx: Ctx, phase: QueryPhase, reference: Ctx): Promise<PhaseResult> {
  const keys = phase.keys(reference);
  const problems: string[] = [];
  const sink = problemSink(phase.name, 'floor', problems, ctx.log);
  for (const key of keys)
    await send(ctx.t, {
      ...phase.request(reference, key),
      headers: { ...phase.request(reference, key).headers, 'x-floor': `${phase.name}:${key}` },
    });
  const { stats, cpuPerRequestMs } = await measuredLoad(ctx.server, () =>
    load(
      {
        concurrency: ctx.opts.concurrency,
        count: phase.count?.(reference) ?? ctx.opts.requests,
        maxMs: ctx.opts.phaseMs,
      },
      async (i) => {
        const key = keys[i % keys.length]!;
        const req = phase.request(reference, key);
        const res = await send(ctx.t, { ...req, headers: { ...req.headers, 'x-floor': `${phase.name}:${key}` } });
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
