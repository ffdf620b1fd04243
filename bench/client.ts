/**
 * The load client: keep-alive HTTP on 127.0.0.1, a fixed number of workers, every loop bounded
 * in count and in time, and a latency record per request.
 */
import http from 'node:http';

export interface Target {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly auth: string;
  readonly agent: http.Agent;
  /** Requests retried after a reset on a reused keep-alive connection (see send). */
  retries: number;
}

export function target(name: string, url: string, user: string, password: string, concurrency: number): Target {
  const u = new URL(url);
  return {
    name,
    host: u.hostname,
    port: Number(u.port),
    auth: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    agent: new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency }),
    retries: 0,
  };
}

export interface Req {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface Res {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly ms: number;
}

export const REQUEST_TIMEOUT_MS = 180_000;

function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/**
 * One request. A request that fails on a reused keep-alive socket with a reset (the server
 * closed the idle connection just as it was reused; RFC 9112 §9.3.1 lets a client retry then)
 * is retried once on a fresh connection (not from the pool, whose other idle sockets the server
 * may have closed too, e.g. while the floor replayed a long phase); its latency counts from the
 * first attempt.
 */
export async function send(t: Target, r: Req): Promise<Res> {
  const started = process.hrtime.bigint();
  try {
    return await attempt(t, r, started);
  } catch (err) {
    if (!(err as { retryable?: boolean }).retryable) throw err;
    t.retries += 1;
    return attempt(t, r, started, true);
  }
}

function attempt(t: Target, r: Req, started: bigint, fresh = false): Promise<Res> {
  const body = r.body === undefined ? undefined : typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  return new Promise<Res>((resolve, reject) => {
    const req = http.request(
      {
        host: t.host,
        port: t.port,
        method: r.method,
        path: encodePath(r.path),
        agent: fresh ? false : t.agent,
        headers: { Authorization: t.auth, ...(body ? { 'Content-Length': String(body.length) } : {}), ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`timeout after ${REQUEST_TIMEOUT_MS} ms: ${r.method} ${r.path}`)),
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (req.reusedSocket && (err.code === 'ECONNRESET' || err.message === 'socket hang up'))
        Object.assign(err, { retryable: true });
      reject(err);
    });
    req.end(body);
  });
}

export interface Stats {
  readonly count: number;
  readonly errors: number;
  readonly wrong: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Response bytes received. */
  readonly bytes: number;
  /** The loop stopped at its time bound before doing every planned request. */
  readonly truncated: boolean;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Stats of measured latencies (ms) over a run of `seconds`. */
export function summarize(
  ms: number[],
  errors: number,
  wrong: number,
  seconds: number,
  bytes: number,
  truncated: boolean,
): Stats {
  const s = [...ms].sort((a, b) => a - b);
  return {
    count: ms.length,
    errors,
    wrong,
    seconds,
    opsPerSec: ms.length / seconds,
    p50: pct(s, 50),
    p95: pct(s, 95),
    p99: pct(s, 99),
    bytes,
    truncated,
  };
}

export interface LoadOptions {
  readonly concurrency: number;
  /** Requests to make at most. */
  readonly count: number;
  /** Stop starting new requests after this many ms. */
  readonly maxMs: number;
}

/**
 * Run `count` operations (op(i) for i = 0…count-1) on `concurrency` workers, stopping early at
 * `maxMs`. `op` returns its response and a list of problems (wrong answers).
 */
export async function load(
  options: LoadOptions,
  op: (i: number, worker: number) => Promise<{ res: Res; problems: string[] }>,
  onProblem: (i: number, problems: string[]) => void,
): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let wrong = 0;
  let bytes = 0;
  let truncated = false;
  const t0 = performance.now();
  const worker = async (w: number): Promise<void> => {
    for (;;) {
      if (next >= options.count) return;
      if (performance.now() - t0 > options.maxMs) {
        truncated = true;
        return;
      }
      const i = next++;
      try {
        const { res, problems } = await op(i, w);
        latencies.push(res.ms);
        bytes += res.body.length;
        if (problems.length > 0) {
          if (res.status >= 400) errors++;
          else wrong++;
          onProblem(i, problems);
        }
      } catch (err) {
        errors++;
        onProblem(i, [String((err as Error).message ?? err)]);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - t0) / 1000;
  return summarize(latencies, errors, wrong, seconds, bytes, truncated);
}
