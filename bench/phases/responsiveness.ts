/**
 * get-under-expensive-reports: simple GETs of a small event, timed one at a time while two lanes
 * of the most expensive calendaring requests (expensive-requests.ts) run against the same server.
 * Its p99 is the figure of domain/cooperative.ts (a request's CPU work yields the event loop);
 * the target is in report.ts. Almanac only: the workload is built on Almanac's own limits
 * (a SECONDLY series expanded to MAX_EXPANDED_INSTANCES), which other servers do not have.
 * The phase works in two calendars of its own and deletes them afterwards.
 */
import { send, summarize } from '../client.js';
import { hrefOf, measuredLoad, problemSink, type Ctx, type PhaseResult } from './common.js';
import {
  expensiveObjects,
  expensiveRequests,
  runExpensiveLanes,
  SMALL_EVENT,
  type ExpensiveCalendars,
  type ExpensiveRequest,
} from './expensive-requests.js';

export const RESPONSIVENESS_PHASE = 'get-under-expensive-reports';
const LANES = 2;
/** The longest the expensive requests keep running (each must be answered once). */
const MAX_RUN_MS = 120_000;

function calendarsOf(ctx: Ctx): ExpensiveCalendars {
  const home = ctx.server.calendar.replace(/[^/]+\/$/, '');
  return { main: `${home}bench-expensive/`, huge: `${home}bench-huge/` };
}

async function setUp(ctx: Ctx, cals: ExpensiveCalendars): Promise<void> {
  const small = {
    method: 'PUT',
    path: hrefOf(cals.main, SMALL_EVENT.name),
    headers: { 'Content-Type': 'text/calendar' },
    body: SMALL_EVENT.body,
  };
  for (const r of [
    { method: 'MKCALENDAR', path: cals.main },
    { method: 'MKCALENDAR', path: cals.huge },
    small,
    ...expensiveObjects(cals),
  ]) {
    const res = await send(ctx.t, r);
    if (res.status >= 300) throw new Error(`${r.method} ${r.path}: HTTP ${res.status}`);
  }
}

async function timeGets(ctx: Ctx, cals: ExpensiveCalendars, problems: string[]): Promise<PhaseResult> {
  const sink = problemSink(RESPONSIVENESS_PHASE, ctx.server.name, problems, ctx.log);
  const sendStatus = async (r: ExpensiveRequest): Promise<number> => (await send(ctx.t, r)).status;
  const { stats, cpuPerRequestMs } = await measuredLoad(ctx.server, async () => {
    let done = false;
    const t0 = performance.now();
    const lanes = runExpensiveLanes(
      expensiveRequests(cals),
      LANES,
      sendStatus,
      Math.min(ctx.opts.phaseMs, 10_000),
      MAX_RUN_MS,
    ).finally(() => {
      done = true;
    });
    const ms: number[] = [];
    let errors = 0;
    let bytes = 0;
    for (let i = 0; !done; i++) {
      const res = await send(ctx.t, { method: 'GET', path: hrefOf(cals.main, SMALL_EVENT.name) });
      ms.push(res.ms);
      bytes += res.body.length;
      if (res.status !== 200 || !res.body.includes(`UID:${SMALL_EVENT.uid}`)) {
        errors++;
        sink(i, [`GET: HTTP ${res.status}`]);
      }
    }
    const statuses = await lanes;
    const bad = statuses.flatMap((s, k) =>
      s.length === 0 || s.includes(500) ? [`expensive request #${k}: ${JSON.stringify(s)}`] : [],
    );
    sink(-1, bad);
    return summarize(ms, errors + bad.length, 0, (performance.now() - t0) / 1000, bytes, false);
  });
  return {
    phase: RESPONSIVENESS_PHASE,
    status: stats.errors > 0 ? 'failed' : 'ok',
    stats,
    ...(cpuPerRequestMs === undefined ? {} : { cpuPerRequestMs }),
    problems,
  };
}

export async function runResponsiveness(ctx: Ctx): Promise<PhaseResult> {
  if (!ctx.server.name.startsWith('almanac')) {
    return {
      phase: RESPONSIVENESS_PHASE,
      status: 'skipped',
      problems: [],
      note: 'Almanac only (the workload is built on its limits)',
    };
  }
  const cals = calendarsOf(ctx);
  const problems: string[] = [];
  try {
    await setUp(ctx, cals);
    return await timeGets(ctx, cals, problems);
  } catch (err) {
    return { phase: RESPONSIVENESS_PHASE, status: 'failed', problems, note: String((err as Error).message ?? err) };
  } finally {
    for (const path of [cals.main, cals.huge]) await send(ctx.t, { method: 'DELETE', path }).catch(() => undefined);
  }
}
