/**
 * A bounded mixed load through the balancer (issue #21 item 5): reads (GET, PROPFIND), writes
 * (PUT with rising revisions, each client on its own objects), RFC 6578 syncs (each client
 * follows its token, which must never go back), SyncML sessions whose messages go to different
 * nodes, and browsers holding server-sent event streams. Samples each node's RSS and CPU and the
 * database's connections every few seconds. Used by the short soak test and `npm run cluster:soak`.
 */
import pg from 'pg';
import type { Cluster } from './cluster.js';
import { cpuMsOf, rssOf } from './cluster.js';
import { syncmlAddAcrossNodes } from './syncml-session.js';

export interface SoakOptions {
  readonly seconds: number;
  readonly clients: number;
  /** Browsers holding an event stream open through the balancer. */
  readonly browsers: number;
  /** Users the load runs as (each exists with password `<name>-pw`). */
  readonly users: readonly string[];
  readonly log?: (line: string) => void;
}

export interface SoakResult {
  readonly requests: number;
  readonly errors: readonly string[];
  readonly byKind: Record<string, number>;
  readonly requestsPerSecond: number;
  /** CPU (user + system) of all nodes per request, ms. */
  readonly cpuMsPerRequest: number;
  /** Per node: RSS at the first sample after warm-up, the last and the peak, bytes. */
  readonly rss: readonly { node: number; first: number; last: number; peak: number }[];
  readonly maxDbConnections: number;
  readonly sseEvents: number;
}

const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const auth = (user: string): string => `Basic ${Buffer.from(`${user}:${user}-pw`).toString('base64')}`;

function event(uid: string, rev: number): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Almanac soak//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T090000Z\r\nDURATION:PT1H\r\nSUMMARY:rev ${rev}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
}

const syncBody = (token: string): string =>
  `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;

async function dbConnections(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return r.rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

/** One browser: logs in through the balancer and counts the change events of its stream. */
async function browser(base: string, user: string, stop: AbortSignal, onEvent: () => void): Promise<void> {
  const login = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: `${user}-pw` }),
  });
  if (login.status !== 200) throw new Error(`browser login: HTTP ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${base}/app/events`, { headers: { Cookie: cookie }, signal: stop });
  if (res.status !== 200) throw new Error(`event stream: HTTP ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const m of decoder.decode(value, { stream: true }).matchAll(/event: change/g)) if (m) onEvent();
    }
  } catch {
    // stopped
  }
}

/** Run the load; errors are collected (first 20 kept), never thrown. */
export async function soak(cluster: Cluster, o: SoakOptions): Promise<SoakResult> {
  // Each node checks each user's password once and remembers it (scrypt): not part of the load.
  await Promise.all(
    cluster.nodes.flatMap((n) =>
      o.users.map((u) =>
        fetch(`${n.url}/dav/calendars/${u}/`, { method: 'PROPFIND', headers: { Depth: '0', Authorization: auth(u) } }),
      ),
    ),
  );
  const errors: string[] = [];
  const byKind: Record<string, number> = {};
  let requests = 0;
  const fail = (what: string): void => void (errors.length < 20 ? errors.push(what) : undefined);
  const stopAt = Date.now() + o.seconds * 1000;
  const stopStreams = new AbortController();
  let sseEvents = 0;
  const streams = Array.from({ length: o.browsers }, (_, i) =>
    browser(cluster.url, o.users[i % o.users.length]!, stopStreams.signal, () => void (sseEvents += 1)).catch(
      (err: Error) => fail(`browser ${i}: ${err.message}`),
    ),
  );
  const nodeUrls = cluster.nodes.map((n) => n.url);
  const pids = (): number[] => cluster.nodes.map((n) => n.pid());
  const cpu0 = pids().reduce((s, p) => s + cpuMsOf(p), 0);
  const rss = cluster.nodes.map((n) => ({ node: n.index, first: 0, last: 0, peak: 0 }));
  let maxDbConnections = 0;
  const sample = async (): Promise<void> => {
    pids().forEach((p, i) => {
      const r = rss[i]!;
      r.last = rssOf(p);
      r.peak = Math.max(r.peak, r.last);
    });
    maxDbConnections = Math.max(maxDbConnections, await dbConnections(cluster.database).catch(() => 0));
  };
  const sampler = setInterval(() => void sample(), 5000);
  // The first RSS sample is taken once the load has run 10% of its time (caches warm).
  const warm = setTimeout(() => rss.forEach((r, i) => (r.first = rssOf(pids()[i]!))), o.seconds * 100);
  const client = async (w: number): Promise<void> => {
    const user = o.users[w % o.users.length]!;
    const cal = `/dav/calendars/${user}/default/`;
    let token = '';
    let lastSeq = -1;
    for (let i = 0; Date.now() < stopAt; i++) {
      const r = (i * 7919 + w * 104729) % 100;
      const name = `soak-${w}-${i % 8}`;
      let kind: string;
      let res: Response;
      try {
        if (r < 3) {
          kind = 'syncml';
          await syncmlAddAcrossNodes(
            nodeUrls.slice(w % nodeUrls.length).concat(nodeUrls),
            user,
            `${user}-pw`,
            `soak-${w}`,
          );
          requests += 2;
          byKind[kind] = (byKind[kind] ?? 0) + 1;
          continue;
        } else if (r < 28) {
          kind = 'put';
          res = await fetch(`${cluster.url}${cal}${name}.ics`, {
            method: 'PUT',
            headers: { ...ICS, Authorization: auth(user) },
            body: event(name, i),
          });
        } else if (r < 43) {
          kind = 'sync';
          res = await fetch(`${cluster.url}${cal}`, {
            method: 'REPORT',
            headers: { ...XML, Authorization: auth(user) },
            body: syncBody(token),
          });
          const text = await res.clone().text();
          const t = /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1];
          const seq = Number(/-(\d+)$/.exec(t ?? '')?.[1]);
          if (t && seq >= lastSeq) [token, lastSeq] = [t, seq];
          else if (res.status === 207) fail(`sync token went back: ${lastSeq} → ${seq}`);
        } else if (r < 70) {
          kind = 'get';
          res = await fetch(`${cluster.url}${cal}soak-${w}-${i % 8}.ics`, { headers: { Authorization: auth(user) } });
        } else {
          kind = 'propfind';
          res = await fetch(`${cluster.url}${cal}`, {
            method: 'PROPFIND',
            headers: { Depth: '1', Authorization: auth(user) },
          });
        }
        await res.arrayBuffer();
        requests += 1;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        const ok = res.status < 300 || (kind === 'get' && res.status === 404);
        if (!ok) fail(`${kind} ${name}: HTTP ${res.status}`);
      } catch (err) {
        fail(`client ${w}: ${String((err as Error).message ?? err)}`);
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: o.clients }, (_, w) => client(w)));
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  clearTimeout(warm);
  await sample();
  const cpu = pids().reduce((s, p) => s + cpuMsOf(p), 0) - cpu0;
  // Let the last notices arrive, then close the streams.
  await new Promise((r) => setTimeout(r, 500));
  stopStreams.abort();
  await Promise.all(streams);
  return {
    requests,
    errors,
    byKind,
    requestsPerSecond: requests / seconds,
    cpuMsPerRequest: requests ? cpu / requests : 0,
    rss: rss.map((r) => ({ ...r, first: r.first || r.last })),
    maxDbConnections,
    sseEvents,
  };
}
