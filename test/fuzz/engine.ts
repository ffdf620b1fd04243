/**
 * The request fuzzer's loop, shared by the bounded test in `npm test` and the longer development
 * script (`npm run fuzz`). It sends cases to a running Almanac and records every answer that
 * breaks the rules: a 5xx, a request slower than the per-request bound, a dropped connection, or
 * a server that stops answering a plain GET in time (checked every few cases).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCase, type CaseKind, type FuzzCase, type FuzzRequest } from './cases.js';
import { Rng } from './mutate.js';

export interface FuzzOptions {
  readonly url: string;
  readonly authorization: string;
  readonly seed: number;
  /** Stop starting new cases after this long. */
  readonly durationMs: number;
  /** Hard cap on cases (keeps the suite bounded in count as well as time). */
  readonly maxCases: number;
  /** A request that takes longer than this is a failure. */
  readonly perRequestMs: number;
  /** A plain GET that must keep answering within this bound, checked every `healthEvery` cases. */
  readonly healthPath: string;
  readonly healthMs: number;
  readonly healthEvery?: number;
  /** Where failing inputs are written (one .bin and one .json per failure); none if unset. */
  readonly failureDir?: string;
}

interface FuzzFailure {
  readonly seed: number;
  readonly index: number;
  readonly kind: CaseKind | 'health';
  readonly method: string;
  readonly path: string;
  readonly reason: string;
  readonly ms: number;
  readonly bytes: number;
}

export interface FuzzResult {
  readonly cases: number;
  readonly requests: number;
  readonly byKind: Record<string, number>;
  /** Status code → count, over every request sent. */
  readonly statuses: Record<string, number>;
  readonly slowestMs: number;
  readonly slowest: string;
  readonly failures: FuzzFailure[];
}

export interface Answer {
  readonly status: number;
  readonly ms: number;
  readonly error?: string;
  /** The answer is a 507 naming DAV:number-of-matches-within-limits: a stated server limit. */
  readonly withinLimits?: boolean;
}

/**
 * RFC 4791 §7.8 and §7.10 (and RFC 6352 §8.6, RFC 6578 §3.2) let a report fail its
 * DAV:number-of-matches-within-limits postcondition with 507 when a request asks for more than the
 * server's stated limits; that is a refusal by rule, not a server failure.
 */
const WITHIN_LIMITS = /number-of-matches-within-limits/;

/** Send one request with a hard timeout; the body is read to the end (or the timeout). */
export async function send(url: string, authorization: string, r: FuzzRequest, timeoutMs: number): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await fetch(new URL(r.path, url), {
      method: r.method,
      headers: { Authorization: authorization, ...r.headers },
      ...(r.body !== undefined ? { body: r.body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    return {
      status: res.status,
      ms: performance.now() - t0,
      withinLimits: res.status === 507 && WITHIN_LIMITS.test(body),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { status: 0, ms: performance.now() - t0, error: `${e.name}: ${e.cause?.code ?? e.message}` };
  }
}

function verdict(a: Answer, boundMs: number): string | null {
  if (a.error) return a.error;
  if (a.status >= 500 && !a.withinLimits) return `HTTP ${a.status}`;
  if (a.ms > boundMs) return `took ${Math.round(a.ms)} ms (bound ${boundMs} ms)`;
  return null;
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const rng = new Rng(o.seed);
  const byKind: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  let slowest = '';
  let requests = 0;
  const deadline = Date.now() + o.durationMs;
  const record = (index: number, c: FuzzCase | null, r: FuzzRequest, a: Answer, bound: number): boolean => {
    requests += 1;
    statuses[String(a.status)] = (statuses[String(a.status)] ?? 0) + 1;
    if (a.ms > slowestMs) {
      slowestMs = a.ms;
      slowest = `${c?.kind ?? 'health'} #${index} ${r.method} ${r.path}`;
    }
    const reason = verdict(a, bound);
    if (reason === null) return true;
    const f: FuzzFailure = {
      seed: o.seed,
      index,
      kind: c?.kind ?? 'health',
      method: r.method,
      path: r.path,
      reason,
      ms: Math.round(a.ms),
      bytes: r.body?.length ?? 0,
    };
    failures.push(f);
    if (o.failureDir && c) {
      mkdirSync(o.failureDir, { recursive: true });
      const base = join(o.failureDir, `seed${o.seed}-case${index}-${c.kind}`);
      writeFileSync(`${base}.bin`, c.request.body ?? new Uint8Array());
      writeFileSync(`${base}.json`, `${JSON.stringify({ ...f, request: { ...r, body: undefined } }, null, 2)}\n`);
    }
    return false;
  };
  let index = 0;
  for (; index < o.maxCases && Date.now() < deadline; index++) {
    const c = makeCase(rng, index);
    byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    const a = await send(o.url, o.authorization, c.request, o.perRequestMs * 2);
    if (record(index, c, c.request, a, o.perRequestMs) && a.status >= 200 && a.status < 300) {
      for (const f of c.followUps)
        record(index, c, f, await send(o.url, o.authorization, f, o.perRequestMs * 2), o.perRequestMs);
    }
    if (index % (o.healthEvery ?? 10) === 0) {
      const h: FuzzRequest = { method: 'GET', path: o.healthPath, headers: {} };
      const ha = await send(o.url, o.authorization, h, o.healthMs * 4);
      if (
        !record(
          index,
          null,
          h,
          ha.status === 200 ? ha : { ...ha, error: ha.error ?? `health GET answered ${ha.status}` },
          o.healthMs,
        ) &&
        ha.status === 0
      )
        break;
    }
  }
  return { cases: index, requests, byKind, statuses, slowestMs: Math.round(slowestMs), slowest, failures };
}
