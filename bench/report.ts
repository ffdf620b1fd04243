/** The printed report: one table per size, ratios to Radicale and to the floor, and the targets. */
import { REQUEST_TIMEOUT_MS } from './client.js';
import type { PhaseResult } from './phases/common.js';

export interface ServerRun {
  readonly server: string;
  readonly phases: PhaseResult[];
  readonly rssPeak: number;
  readonly dataBytes: number;
  readonly note?: string;
  /** Requests retried after the server reset a reused keep-alive connection. */
  readonly retries?: number;
}

export interface SizeRun {
  readonly label: string;
  readonly events: number;
  readonly contacts: number;
  readonly runs: ServerRun[];
  readonly floor?: ServerRun;
}

const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MB`;
const num = (x: number | undefined, digits = 1): string =>
  x === undefined || !Number.isFinite(x) ? '-' : x >= 1000 ? x.toFixed(0) : x.toFixed(digits);
const us = (r: PhaseResult | undefined): string =>
  r?.cpuPerRequestMs === undefined ? '-' : (r.cpuPerRequestMs * 1000).toFixed(0);
const ms = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1);

function cell(r: PhaseResult | undefined, what: 'ops' | 'p50' | 'p95' | 'p99'): string {
  if (!r) return '';
  if (r.status === 'unsupported') return 'unsupported';
  if (r.status === 'skipped') return 'skipped';
  if (!r.stats) return r.status.toUpperCase();
  const v = what === 'ops' ? num(r.stats.opsPerSec) : ms(r.stats[what]);
  return r.status === 'failed' ? `${v} WRONG` : v;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

/** Per phase: ratio to Radicale (≥, throughput), to the floor (≤, p50), and p50 / p99 ceilings in ms. */
const PHASE_TARGETS: Record<string, { radicale?: number; floor?: number; p50Ms?: number; p99Ms?: number }> = {
  'put-events': { radicale: 20 },
  'put-contacts': { radicale: 20 },
  'propfind-depth1': { radicale: 50, floor: 3 },
  'calendar-query-month': { radicale: 50, floor: 3 },
  'calendar-query-expand-week': { radicale: 50, floor: 3 },
  'calendar-multiget-100': { floor: 3 },
  'sync-collection-50': { floor: 3 },
  'addressbook-query-fn': { radicale: 50, floor: 3 },
  'addressbook-multiget-100': { floor: 3 },
  'free-busy-query-week': { floor: 3 },
  'mixed-70r-30w': { radicale: 50 },
  // A simple GET while the most expensive requests run (was a test: event-loop-under-expensive-reports).
  'get-under-expensive-reports': { p99Ms: 50 },
  // The browser app's busy month (was a test: web/month-render, web/calendar-ui "measure").
  'web-month-render-1000': { p50Ms: 200 },
  // The browser app's address book of M contacts (was a test: web/contacts-scale).
  'web-contacts-open': { p50Ms: 300 },
  'web-contacts-keystroke': { p50Ms: 300 },
  // An organizer's PUT inviting 50 users of this server (issue #16, RFC 6638 §3.2.1).
  'invite-50-internal': { p50Ms: 200 },
  // Sharing (issue #17): a sharee's home with 50 shared calendar instances; a principal with 162 delegates.
  'propfind-home-50-shared': { p50Ms: 30 },
  'expand-proxy-162-delegates': { p50Ms: 100 },
  // WebDAV-Push: change committed → message handed to the push service, 1,000 subscriptions on one topic.
  'push-latency-1000': { p50Ms: 100 },
  // The web app's server-sent change notice: change committed → the notice at the page's EventSource.
  'browser-sse-latency': { p50Ms: 300 },
  // `almanac import` of a 5,000-event .ics, the whole command (issue #20 item 4).
  'import-5000-ics': { p50Ms: 3000 },
};

/** Issue #20: Almanac ahead of Cyrus (both variants) by this much on every phase both ran. */
const CYRUS_TARGET = 10;
/** Issue #20: PostgreSQL within this factor of SQLite (p50) on every phase. */
const PG_TARGET = 2;

/** Almanac's throughput over a peer's on one phase (both measured the same requests). */
function ratioToPeer(a?: PhaseResult, r?: PhaseResult): number | undefined {
  if (a?.status !== 'ok' || !a.stats || !r?.stats || r.status === 'unsupported') return undefined;
  if (!(r.stats.opsPerSec > 0)) return undefined; // no answer at all: there is no ratio (see peerNoAnswer)
  return a.stats.opsPerSec / r.stats.opsPerSec;
}

/** The peer timed out on every request of the phase: say so instead of a ratio. */
function peerNoAnswer(r?: PhaseResult): boolean {
  return r?.stats !== undefined && r.status !== 'unsupported' && !(r.stats.opsPerSec > 0);
}

function ratioToFloor(a?: PhaseResult, f?: PhaseResult): number | undefined {
  if (a?.status !== 'ok' || !a.stats || !f?.stats) return undefined;
  return a.stats.p50 / f.stats.p50;
}

const isPeer = (r: ServerRun): boolean => !r.server.startsWith('almanac');

export function renderSize(s: SizeRun): string {
  const lines: string[] = [];
  lines.push(`== N=${s.events} events, M=${s.contacts} contacts (${s.label}) ==`);
  const almanac = s.runs.find((r) => r.server === 'almanac');
  const pg = s.runs.find((r) => r.server === 'almanac-pg');
  const peers = s.runs.filter(isPeer);
  const phases = [...new Set(s.runs.flatMap((r) => r.phases.map((p) => p.phase)))];
  lines.push(
    'read phases: every request distinct (its own window, batch, term, token or property set), sent with',
    'Cache-Control: no-cache, so every answer is computed; ratios to peers are throughput (ops/s) at the same concurrency',
  );
  const head = ['phase', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'cpu µs'];
  if (s.floor) head.push('floor p50', 'A/floor', 'floor µs', 'A/floor cpu');
  for (const r of peers) head.push(`${r.server} p50`, 'µs', `A/${r.server}`);
  if (pg) head.push('pg p50', 'pg µs', 'pg/A p50');
  const rows = [head];
  for (const phase of phases) {
    const a = almanac?.phases.find((p) => p.phase === phase);
    const row = [phase, cell(a, 'ops'), cell(a, 'p50'), cell(a, 'p95'), cell(a, 'p99'), us(a)];
    if (s.floor) {
      const f = s.floor.phases.find((p) => p.phase === phase);
      const ratio = ratioToFloor(a, f);
      const cpu = a?.cpuPerRequestMs && f?.cpuPerRequestMs ? a.cpuPerRequestMs / f.cpuPerRequestMs : undefined;
      row.push(
        f?.stats ? ms(f.stats.p50) : '-',
        ratio === undefined ? '-' : `${ratio.toFixed(2)}×`,
        us(f),
        cpu === undefined ? '-' : `${cpu.toFixed(1)}×`,
      );
    }
    for (const peer of peers) {
      const r = peer.phases.find((p) => p.phase === phase);
      const ratio = ratioToPeer(a, r);
      row.push(cell(r, 'p50'), us(r), ratio === undefined ? '-' : `${ratio.toFixed(1)}×`);
    }
    if (pg) {
      const p = pg.phases.find((x) => x.phase === phase);
      const ratio = p?.stats && a?.stats && p.status === 'ok' ? p.stats.p50 / a.stats.p50 : undefined;
      row.push(cell(p, 'p50'), us(p), ratio === undefined ? '-' : `${ratio.toFixed(2)}×`);
    }
    rows.push(row);
  }
  lines.push(...pad(rows));
  lines.push("(cpu µs: the server's user + system CPU time per measured request, its forked children included)", '');
  const cached = almanac?.phases.filter((p) => p.cached) ?? [];
  if (cached.length) {
    lines.push('secondary: a few requests repeated without no-cache (the report answer cache may serve them):');
    const crows = [['phase', 'ops/s', 'p50 ms', 'p95 ms', 'cpu µs', ...(s.floor ? ['A/floor'] : [])]];
    for (const a of cached) {
      const c = a.cached!;
      const row = [
        a.phase,
        num(c.stats.opsPerSec),
        ms(c.stats.p50),
        ms(c.stats.p95),
        c.cpuPerRequestMs === undefined ? '-' : (c.cpuPerRequestMs * 1000).toFixed(0),
      ];
      if (s.floor) {
        const f = s.floor.phases.find((p) => p.phase === a.phase);
        row.push(f?.stats ? `${(c.stats.p50 / f.stats.p50).toFixed(2)}×` : '-');
      }
      crows.push(row);
    }
    lines.push(...pad(crows), '');
  }
  for (const r of [...s.runs, ...(s.floor ? [s.floor] : [])]) {
    const count = r.phases.reduce((n, p) => n + (p.stats?.count ?? 0), 0);
    const errors = r.phases.reduce((n, p) => n + (p.stats?.errors ?? 0), 0);
    const wrong = r.phases.reduce((n, p) => n + (p.stats?.wrong ?? 0) + (p.status === 'failed' && !p.stats ? 1 : 0), 0);
    lines.push(
      `${r.server.padEnd(13)} peak RSS ${mb(r.rssPeak).padStart(9)}   data ${mb(r.dataBytes).padStart(9)}   requests ${count}   errors ${errors}   wrong ${wrong}   connection resets retried ${r.retries ?? 0}${r.note ? `   (${r.note})` : ''}`,
    );
  }
  const notes = s.runs.flatMap((r) =>
    r.phases
      .filter((p) => p.note || p.status !== 'ok')
      .map(
        (p) =>
          `  ${r.server} ${p.phase}: ${p.status}${p.note ? ` — ${p.note}` : ''}${p.problems.length ? ` — e.g. ${p.problems.slice(0, 2).join('; ').slice(0, 300)}` : ''}`,
      ),
  );
  if (notes.length) lines.push('notes:', ...notes);
  return lines.join('\n');
}

function peerTarget(phase: string, a: PhaseResult | undefined, peer: ServerRun, want: number): string {
  const rp = peer.phases.find((p) => p.phase === phase);
  const r = ratioToPeer(a, rp);
  const wrong = rp?.status === 'failed' ? ` (${peer.server} answered wrongly)` : '';
  if (a?.stats && peerNoAnswer(rp))
    return (
      `  ${phase} vs ${peer.server} ≥${want}×: no ratio — ${peer.server} answered no request within the client's ` +
      `${REQUEST_TIMEOUT_MS / 1000} s timeout; Almanac p50 ${ms(a.stats.p50)} ms`
    );
  return `  ${phase} vs ${peer.server} ≥${want}×: ${r === undefined ? `n/a (${a?.status ?? 'not run'}${rp ? `, ${peer.server} ${rp.status}` : ''})` : `${r.toFixed(1)}× ${r >= want ? 'MET' : 'NOT MET'}${wrong}`}`;
}

/** Targets of issues #7 and #20, judged on one size's run. */
export function renderTargets(s: SizeRun): string {
  const almanac = s.runs.find((r) => r.server === 'almanac');
  const radicale = s.runs.find((r) => r.server === 'radicale');
  const cyrus = s.runs.filter((r) => r.server.startsWith('cyrus'));
  const pg = s.runs.find((r) => r.server === 'almanac-pg');
  if (!almanac) return '';
  const lines = [`targets (${s.label}, SQLite):`];
  for (const [phase, t] of Object.entries(PHASE_TARGETS)) {
    const a = almanac.phases.find((p) => p.phase === phase);
    if (t.radicale !== undefined) {
      if (radicale) lines.push(peerTarget(phase, a, radicale, t.radicale));
      else lines.push(`  ${phase} vs Radicale ≥${t.radicale}×: n/a (no Radicale)`);
    }
    if (t.floor !== undefined) {
      const fp = s.floor?.phases.find((p) => p.phase === phase);
      const f = ratioToFloor(a, fp);
      lines.push(
        `  ${phase} computed vs floor ≤${t.floor}×: ${f === undefined ? `n/a (${a?.status ?? 'not run'})` : `${f.toFixed(2)}× ${f <= t.floor ? 'MET' : 'NOT MET'}`}`,
      );
    }
    for (const [what, ceiling] of [
      ['p50', t.p50Ms],
      ['p99', t.p99Ms],
    ] as const) {
      if (ceiling === undefined) continue;
      const v = a?.status === 'ok' ? a.stats?.[what] : undefined;
      lines.push(
        `  ${phase} ${what} < ${ceiling} ms: ${v === undefined ? `n/a (${a?.status ?? 'not run'})` : `${ms(v)} ms ${v < ceiling ? 'MET' : 'NOT MET'}`}`,
      );
    }
  }
  for (const peer of cyrus)
    for (const rp of peer.phases)
      if (rp.status !== 'skipped')
        lines.push(
          peerTarget(
            rp.phase,
            almanac.phases.find((p) => p.phase === rp.phase),
            peer,
            CYRUS_TARGET,
          ),
        );
  if (pg) {
    for (const p of pg.phases) {
      const a = almanac.phases.find((x) => x.phase === p.phase);
      if (!p.stats || !a?.stats || p.status !== 'ok') continue;
      const r = p.stats.p50 / a.stats.p50;
      lines.push(
        `  ${p.phase} PostgreSQL p50 within ${PG_TARGET}× of SQLite: ${r.toFixed(2)}× ${r <= PG_TARGET ? 'MET' : 'NOT MET'}`,
      );
    }
  }
  lines.push(
    `  Almanac peak RSS < 300 MB: ${mb(almanac.rssPeak)} ${almanac.rssPeak < 300 * 1048576 ? 'MET' : 'NOT MET'}`,
  );
  const bad = almanac.phases.reduce(
    (n, p) => n + (p.stats?.errors ?? 0) + (p.stats?.wrong ?? 0) + (p.status === 'failed' && !p.stats ? 1 : 0),
    0,
  );
  lines.push(`  0 errors, 0 wrong answers: ${bad === 0 ? 'MET' : `NOT MET (${bad})`}`);
  return lines.join('\n');
}

/** Growth of the computed query cost between sizes (p50 of the larger over the smaller). */
export function renderGrowth(runs: SizeRun[]): string {
  if (runs.length < 2) return '';
  const lines = ['growth of computed p50 with size (Almanac, SQLite; target ≤1.5× from 10k to 100k):'];
  const phases = [
    'propfind-depth1',
    'calendar-query-month',
    'calendar-query-expand-week',
    'calendar-multiget-100',
    'sync-collection-50',
    'addressbook-query-fn',
    'addressbook-multiget-100',
    'free-busy-query-week',
  ];
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1]!.runs.find((r) => r.server === 'almanac');
    const b = runs[i]!.runs.find((r) => r.server === 'almanac');
    for (const phase of phases) {
      const x = a?.phases.find((p) => p.phase === phase)?.stats?.p50;
      const y = b?.phases.find((p) => p.phase === phase)?.stats?.p50;
      if (x && y)
        lines.push(
          `  ${phase} ${runs[i - 1]!.label}→${runs[i]!.label}: ${ms(x)} → ${ms(y)} ms = ${(y / x).toFixed(2)}×`,
        );
    }
  }
  const put = (r: SizeRun): number | undefined =>
    r.runs.find((x) => x.server === 'almanac')?.phases.find((p) => p.phase === 'put-events')?.stats?.opsPerSec;
  const p0 = put(runs[0]!);
  const p1 = put(runs[runs.length - 1]!);
  if (p0 && p1)
    lines.push(
      `  put-events throughput ${runs[0]!.label}→${runs[runs.length - 1]!.label}: ${num(p0)} → ${num(p1)} ops/s = ${((100 * p1) / p0).toFixed(0)}% (target ≥90%)`,
    );
  return lines.join('\n');
}
