/**
 * The benchmark as a function (run.ts is the command line; the smoke test calls this directly).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { target } from './client.js';
import { generate, type DataSet } from './generator.js';
import { populateByPut, populateRadicale } from './phases/populate.js';
import { cyrusHome, cyrusMissing, startCyrus } from './cyrus.js';
import { freeBusyPhase } from './phases/free-busy.js';
import {
  runFloorPhase,
  runQueryPhase,
  type BenchOptions,
  type Ctx,
  type PhaseResult,
  type QueryPhase,
} from './phases/common.js';
import {
  abMultigetPhase,
  expandPhase,
  fnQueryPhase,
  monthPhase,
  multigetPhase,
  propfindPhase,
} from './phases/queries.js';
import { prepareSync, restoreSync, syncPhase } from './phases/sync.js';
import { runMixed } from './phases/mixed.js';
import { RESPONSIVENESS_PHASE, runResponsiveness } from './phases/responsiveness.js';
import { runWebContacts, WEB_CONTACTS_KEYSTROKE, WEB_CONTACTS_OPEN } from './phases/web-contacts.js';
import { runWebMonthRender, WEB_MONTH_PHASE } from './phases/web-month-render.js';
import { INVITE_PHASE, runInvitations } from './phases/invitations.js';
import { AFTER_CHANGE_PHASE, runPropfindAfterChange } from './phases/propfind-after-change.js';
import { IMPORT_PHASE, runImport } from './phases/import.js';
import { PUSH_PHASE, runPushLatency } from './phases/push-latency.js';
import { monotonicUs, type PhaseWindow } from './profile-windows.js';
import { BROWSER_LIVE_PHASE, runBrowserLive } from './phases/browser-live.js';
import { DELEGATES_PHASE, SHARED_HOME_PHASE, runSharing } from './phases/sharing.js';
import {
  BENCH_PASSWORD,
  BENCH_USER,
  radicalePython,
  startAlmanac,
  startFloor,
  startRadicale,
  type RadicaleServer,
  type Running,
} from './servers.js';
import type { ServerRun, SizeRun } from './report.js';

export interface SizeSpec {
  readonly label: string;
  readonly events: number;
  readonly contacts: number;
}

export const SIZES: Record<string, SizeSpec> = {
  '1k': { label: '1k', events: 1_000, contacts: 5_000 },
  '10k': { label: '10k', events: 10_000, contacts: 50_000 },
  '100k': { label: '100k', events: 100_000, contacts: 50_000 },
};

export interface RunConfig extends BenchOptions {
  readonly radicale: boolean;
  /** Cyrus IMAP's httpd as a peer, as it ships (Nagle on) and with TCP_NODELAY (bench/cyrus.ts). */
  readonly cyrus?: boolean;
  readonly postgres: boolean;
  readonly floor: boolean;
  /** Write V8 CPU profiles of the Almanac server into this directory. */
  readonly cpuProfDir?: string;
  readonly log: (line: string) => void;
  /** push-latency-1000: subscriptions on the one topic (default 1,000; the smoke test uses fewer). */
  readonly pushSubscriptions?: number;
  /** import-5000-ics: events in the imported file (default 5,000; the smoke test uses fewer). */
  readonly importEvents?: number;
  /** Phases not to run even when `only` is null (the smoke test leaves out those whose set-up is long). */
  readonly except?: ReadonlySet<string>;
}

/** Short names accepted by --only. */
export const PHASE_ALIASES: Record<string, string> = {
  put: 'put',
  propfind: 'propfind-depth1',
  month: 'calendar-query-month',
  expand: 'calendar-query-expand-week',
  multiget: 'calendar-multiget-100',
  sync: 'sync-collection-50',
  fn: 'addressbook-query-fn',
  freebusy: freeBusyPhase.name,
  'ab-multiget': 'addressbook-multiget-100',
  mixed: 'mixed-70r-30w',
  responsive: RESPONSIVENESS_PHASE,
  'web-month': WEB_MONTH_PHASE,
  'web-contacts': WEB_CONTACTS_OPEN,
  'web-keystroke': WEB_CONTACTS_KEYSTROKE,
  invite: INVITE_PHASE,
  'after-change': AFTER_CHANGE_PHASE,
  push: PUSH_PHASE,
  sse: BROWSER_LIVE_PHASE,
  import: IMPORT_PHASE,
  'shared-home': SHARED_HOME_PHASE,
  delegates: DELEGATES_PHASE,
};

/** The read phases, in the order a run measures them (bench/ab.ts compares builds on them too). */
export const READ_PHASES: readonly QueryPhase[] = [
  propfindPhase,
  monthPhase,
  expandPhase,
  multigetPhase,
  fnQueryPhase,
  abMultigetPhase,
  freeBusyPhase,
];

function wanted(cfg: RunConfig, phase: string): boolean {
  return (cfg.only === null || cfg.only.has(phase)) && !cfg.except?.has(phase);
}

/**
 * The profile of the server with process id `pid` (V8 names it CPU.<date>.<time>.<pid>.….cpuprofile)
 * gets `windows-<pid>.json` beside it: each phase's start and end in microseconds of the monotonic
 * clock, the clock of the profile's sample times (bench/profile-summary.ts --phases).
 */
function writePhaseWindows(dir: string, pid: number, windows: readonly PhaseWindow[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `windows-${pid}.json`), `${JSON.stringify(windows, null, 1)}\n`);
}

/** Called after each measured read phase of a server (the floor runs the same phase right then). */
type AfterPhase = (phase: QueryPhase, result: PhaseResult, ctx: Ctx) => Promise<void>;

/**
 * Every phase against one running server; the phases and the server's peak RSS through them, the
 * get-under-expensive-reports phase left out of the peak (its workload is built to be expensive:
 * a SECONDLY series expanded to the limit; its own peak is in its log line).
 */
async function suite(
  ctx: Ctx,
  radicale: RadicaleServer | null,
  cfg: RunConfig,
  afterPhase?: AfterPhase,
): Promise<{ phases: PhaseResult[]; rssPeak: number }> {
  const out: PhaseResult[] = [];
  const t0 = performance.now();
  // With --cpu-prof: when each phase ran, on the clock of the server's profile (profile-summary --phases).
  const windows: PhaseWindow[] = [];
  let since = monotonicUs();
  const note = (r: PhaseResult): void => {
    const to = monotonicUs();
    windows.push({ phase: r.phase, from: since, to });
    since = to;
    out.push(r);
    const s = r.stats;
    const rss = ctx.server.rssWindowPeak() / 1048576;
    ctx.log(
      `  ${ctx.server.name} ${r.phase}: ${r.status}${s ? ` ${s.opsPerSec.toFixed(1)} ops/s p50 ${s.p50.toFixed(2)} ms (${s.count} req)` : ''}` +
        `${r.cpuPerRequestMs === undefined ? '' : `, server CPU ${(r.cpuPerRequestMs * 1000).toFixed(0)} µs/request`}` +
        `, peak RSS ${rss.toFixed(0)} MB${r.note ? ` — ${r.note}` : ''}`,
    );
  };
  if (!ctx.server.populated) await (radicale ? populateRadicale(ctx, radicale, note) : populateByPut(ctx, note));
  for (const phase of READ_PHASES) {
    if (!wanted(cfg, phase.name)) continue;
    const r = await runQueryPhase(ctx, phase);
    note(r);
    await afterPhase?.(phase, r, ctx);
  }
  if (wanted(cfg, syncPhase.name)) {
    try {
      await prepareSync(ctx);
      const r = await runQueryPhase(ctx, syncPhase);
      note(r);
      await afterPhase?.(syncPhase, r, ctx);
    } catch (err) {
      note({
        phase: syncPhase.name,
        status: 'failed',
        problems: [String((err as Error).message)],
        note: String((err as Error).message),
      });
    } finally {
      await restoreSync(ctx).catch((err: unknown) => ctx.log(`  restore after sync failed: ${String(err)}`));
    }
  }
  if (wanted(cfg, 'mixed-70r-30w') && cfg.mixedMs > 0) {
    const ok = (name: string): boolean => out.find((p) => p.phase === name)?.status === 'ok';
    const supported = new Set<string>();
    if (ok(monthPhase.name)) supported.add('month');
    if (ok(multigetPhase.name)) supported.add('multiget');
    if (ok(fnQueryPhase.name)) supported.add('fn');
    note(await runMixed(ctx, supported));
  }
  const rssPeak = ctx.server.rss().peak;
  if (wanted(cfg, RESPONSIVENESS_PHASE)) note(await runResponsiveness(ctx));
  ctx.log(`  ${ctx.server.name}: suite took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (cfg.cpuProfDir) writePhaseWindows(cfg.cpuProfDir, ctx.server.pid, windows);
  return { phases: out, rssPeak };
}

async function withServer(
  server: Running,
  ds: DataSet,
  cfg: RunConfig,
  radicale: RadicaleServer | null,
  record?: Ctx['record'],
  afterPhase?: AfterPhase,
): Promise<{ run: ServerRun; ctx: Ctx }> {
  const ctx: Ctx = {
    ds,
    server,
    t: target(server.name, server.url, BENCH_USER, BENCH_PASSWORD, cfg.concurrency),
    opts: cfg,
    log: cfg.log,
    isReference: record !== undefined,
    ...(record ? { record, measuredKeys: new Map<string, string[]>() } : {}),
  };
  try {
    const { phases, rssPeak } = await suite(ctx, radicale, cfg, afterPhase);
    const dataBytes = await server.dataBytes().catch(() => 0);
    return { run: { server: server.name, phases, rssPeak, dataBytes, retries: ctx.t.retries }, ctx };
  } catch (err) {
    cfg.log(`  ${server.name} failed: ${String((err as Error).stack ?? err)}\n${server.logTail()}`);
    throw err;
  } finally {
    ctx.t.agent.destroy();
    await server.stop();
    // Almanac prints what its caches did when it stops (cli/serve.ts); other servers print nothing of the kind.
    const caches = server
      .logTail()
      .split('\n')
      .find((l) => l.startsWith('Caches: '));
    if (caches) cfg.log(`  ${server.name} ${caches}`);
  }
}

/**
 * Phases that run their own Almanac or client in this process, reported with Almanac's phases:
 * the web app's figures (phases/web-month-render.ts, web-contacts.ts), WebDAV-Push delivery
 * (phases/push-latency.ts), the browser's change notices (phases/browser-live.ts), scheduling
 * (phases/invitations.ts) and the listing a syncing client asks after a change
 * (phases/propfind-after-change.ts).
 */
async function ownProcessPhases(size: SizeSpec, cfg: RunConfig): Promise<PhaseResult[]> {
  const out: PhaseResult[] = [];
  if (wanted(cfg, WEB_MONTH_PHASE)) out.push(await runWebMonthRender(cfg.log));
  if (wanted(cfg, WEB_CONTACTS_OPEN) || wanted(cfg, WEB_CONTACTS_KEYSTROKE))
    out.push(...(await runWebContacts(size.contacts, cfg.log)));
  if (wanted(cfg, INVITE_PHASE)) out.push(...(await runInvitations(cfg.requests, cfg.log)));
  if (wanted(cfg, AFTER_CHANGE_PHASE)) out.push(...(await runPropfindAfterChange(size.events, cfg.requests, cfg.log)));
  if (wanted(cfg, SHARED_HOME_PHASE) || wanted(cfg, DELEGATES_PHASE))
    out.push(...(await runSharing(cfg.requests, cfg.log)));
  if (wanted(cfg, IMPORT_PHASE)) out.push(await runImport(cfg.importEvents ?? 5000, cfg.log));
  if (wanted(cfg, PUSH_PHASE))
    out.push(await runPushLatency(cfg.log, { subscriptions: cfg.pushSubscriptions ?? 1000, changes: 5 }));
  if (wanted(cfg, BROWSER_LIVE_PHASE)) out.push(await runBrowserLive(cfg.log));
  return out;
}

export async function runSize(size: SizeSpec, cfg: RunConfig): Promise<SizeRun> {
  const log = cfg.log;
  const g0 = performance.now();
  const ds = generate(size.events, size.contacts);
  log(
    `N=${size.events} M=${size.contacts}: data set generated in ${((performance.now() - g0) / 1000).toFixed(1)} s` +
      ` (span ${ds.spanDays} days; ${ds.events.filter((e) => e.kind === 'recurring').length} recurring, ${ds.events.filter((e) => e.kind === 'allday').length} all-day); ${cpus().length} CPUs`,
  );
  const runs: ServerRun[] = [];
  let floor: ServerRun | undefined;

  // Almanac on SQLite: the reference run; its answers are what the floor sends back. The floor
  // runs each phase right after Almanac's, so both are timed in the same machine state (a
  // neighbour's load moves both, not just one side of the ratio).
  log('almanac (SQLite):');
  const floorServer = cfg.floor ? await startFloor() : null;
  const floorPhases: PhaseResult[] = [];
  const fctx: Ctx | null = floorServer
    ? {
        ds,
        server: floorServer,
        t: target('floor', floorServer.url, 'x', 'x', cfg.concurrency),
        opts: cfg,
        log,
        isReference: false,
      }
    : null;
  const floorAfter: AfterPhase | undefined = fctx
    ? async (phase, result, reference) => {
        if (result.status !== 'ok' || !phase.floorable) return;
        const r = await runFloorPhase(fctx, phase, reference);
        floorPhases.push(r);
        log(
          `  floor ${r.phase}: p50 ${r.stats?.p50.toFixed(2)} ms, ${r.stats?.opsPerSec.toFixed(1)} ops/s` +
            `${r.cpuPerRequestMs === undefined ? '' : `, server CPU ${(r.cpuPerRequestMs * 1000).toFixed(0)} µs/request`}`,
        );
      }
    : undefined;
  const nodeFlags = cfg.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cfg.cpuProfDir] : [];
  try {
    const almanac = await withServer(
      await startAlmanac({ nodeFlags }),
      ds,
      cfg,
      null,
      floorServer ? (key, status, body) => floorServer.put(key, status, body) : undefined,
      floorAfter,
    );
    runs.push(almanac.run);
    almanac.run.phases.push(...(await ownProcessPhases(size, cfg)));
  } finally {
    fctx?.t.agent.destroy();
    if (floorServer) {
      floor = { server: 'floor', phases: floorPhases, rssPeak: floorServer.rss().peak, dataBytes: 0 };
      await floorServer.stop();
    }
  }

  if (cfg.postgres) {
    const { postgresAvailable, createThrowawayDatabase } = await import('../test/helpers/postgres.js');
    if (await postgresAvailable()) {
      log('almanac (PostgreSQL):');
      const db = await createThrowawayDatabase();
      try {
        runs.push((await withServer(await startAlmanac({ database: db.url, nodeFlags }), ds, cfg, null)).run);
      } finally {
        await db.drop().catch(() => undefined);
      }
    } else log('PostgreSQL not reachable: skipped (set ALMANAC_TEST_PG)');
  }

  if (cfg.cyrus) {
    const missing = cyrusMissing();
    if (missing) log(`Cyrus skipped: ${missing}`);
    else {
      // One folder, populated by the first run; the second restarts Cyrus on it with the shim.
      const home = await cyrusHome();
      try {
        for (const nodelay of [false, true]) {
          log(nodelay ? 'cyrus (TCP_NODELAY by an LD_PRELOAD shim, same data):' : 'cyrus (as shipped, Nagle on):');
          runs.push(
            await peerRun(
              nodelay ? 'cyrus-nodelay' : 'cyrus',
              async () => (await withServer(await startCyrus(home, nodelay), ds, cfg, null)).run,
            ),
          );
        }
      } finally {
        home.remove();
      }
    }
  }

  if (cfg.radicale) {
    const py = radicalePython();
    if (py) {
      log('radicale:');
      runs.push(
        await peerRun('radicale', async () => {
          const server = await startRadicale(py);
          return (await withServer(server, ds, cfg, server)).run;
        }),
      );
    } else log('Radicale not found (python3 -m radicale): skipped');
  }
  return { label: size.label, events: size.events, contacts: size.contacts, runs, ...(floor ? { floor } : {}) };
}

/** A peer's run; its failing is reported in its row, not fatal (Almanac's figures are kept). */
async function peerRun(name: string, run: () => Promise<ServerRun>): Promise<ServerRun> {
  try {
    return await run();
  } catch (err) {
    return {
      server: name,
      phases: [],
      rssPeak: 0,
      dataBytes: 0,
      note: `run aborted: ${String((err as Error).message ?? err)}`,
    };
  }
}

/** Almanac phases that failed (wrong answers or errors): these fail the run. */
export function almanacFailures(s: SizeRun): string[] {
  return s.runs
    .filter((r) => r.server.startsWith('almanac'))
    .flatMap((r) =>
      r.phases
        .filter((p) => p.status === 'failed')
        .map((p) => `${r.server} ${p.phase}: ${p.note ?? ''} ${p.problems.slice(0, 3).join('; ')}`),
    );
}
