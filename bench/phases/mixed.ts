/**
 * Mixed load for a fixed duration: 70% reads (month query, multiget, GET of one event, FN
 * search) and 30% writes (event and contact edits that keep times, UIDs and FNs, so every read
 * can still be checked against the expected answers).
 */
import { load, send, type Req, type Res } from '../client.js';
import { FN_TERMS, monthWindows } from '../expected.js';
import { Rng, renderContact, renderEvent } from '../generator.js';
import { hrefOf, measuredLoad, problemSink, type Ctx, type PhaseResult } from './common.js';
import { checkFnQuery, fnQueryBody, monthPhase, multigetPhase } from './queries.js';

type Op = { req: Req; check: (res: Res) => string[] };

function pickOp(ctx: Ctx, i: number, worker: number, supported: ReadonlySet<string>): Op {
  const rng = new Rng((ctx.ds.seed * 31 + i) >>> 0);
  const r = rng.next();
  const ds = ctx.ds;
  // Writers partition the objects by worker, so no two requests edit one object at once.
  const slot = (n: number): number =>
    Math.min(n - 1, worker + ctx.opts.concurrency * Math.floor(rng.next() * Math.ceil(n / ctx.opts.concurrency)));
  if (r < 0.7) {
    const which = rng.next();
    if (which < 0.3 && supported.has('month')) {
      const key = String(rng.pick(monthWindows(ds, 20)).start);
      return { req: monthPhase.request(ctx, key), check: (res) => monthPhase.check(ctx, key, res) };
    }
    if (which < 0.5 && supported.has('multiget')) {
      const key = String(rng.int(0, 9));
      return { req: multigetPhase.request(ctx, key), check: (res) => multigetPhase.check(ctx, key, res) };
    }
    if (which < 0.8 || !supported.has('fn')) {
      const e = ds.events[rng.int(0, ds.events.length - 1)]!;
      return {
        req: { method: 'GET', path: hrefOf(ctx.server.calendar, e.name) },
        check: (res) =>
          res.status !== 200
            ? [`GET ${e.name}: HTTP ${res.status}`]
            : res.body.includes(`UID:${e.uid}`)
              ? []
              : [`GET ${e.name}: body lacks its UID`],
      };
    }
    const term = rng.pick(FN_TERMS);
    return {
      req: {
        method: 'REPORT',
        path: ctx.server.addressbook,
        headers: { 'Content-Type': 'application/xml; charset=utf-8', Depth: '1' },
        body: fnQueryBody(term),
      },
      check: (res) => checkFnQuery(ctx, term, res),
    };
  }
  const rev = 2000 + i;
  if (rng.next() < 0.7) {
    const e = ds.events[slot(ds.events.length)]!;
    return {
      req: {
        method: 'PUT',
        path: hrefOf(ctx.server.calendar, e.name),
        body: renderEvent(e, rev),
        headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
      },
      check: (res) => (res.status >= 200 && res.status < 300 ? [] : [`PUT ${e.name}: HTTP ${res.status}`]),
    };
  }
  const c = ds.contacts[slot(ds.contacts.length)]!;
  return {
    req: {
      method: 'PUT',
      path: hrefOf(ctx.server.addressbook, c.name),
      body: renderContact(c, rev),
      headers: { 'Content-Type': 'text/vcard; charset=utf-8' },
    },
    check: (res) => (res.status >= 200 && res.status < 300 ? [] : [`PUT ${c.name}: HTTP ${res.status}`]),
  };
}

/** `supported`: which reads the server answered in their own phases ('month', 'multiget', 'fn'). */
export async function runMixed(ctx: Ctx, supported: ReadonlySet<string>): Promise<PhaseResult> {
  const problems: string[] = [];
  const { stats, cpuPerRequestMs } = await measuredLoad(ctx.server, () =>
    load(
      { concurrency: ctx.opts.concurrency, count: 10_000_000, maxMs: ctx.opts.mixedMs },
      async (i, w) => {
        const op = pickOp(ctx, i, w, supported);
        const res = await send(ctx.t, op.req);
        return { res, problems: op.check(res) };
      },
      problemSink('mixed', ctx.server.name, problems, ctx.log),
    ),
  );
  const missing = ['month', 'multiget', 'fn'].filter((s) => !supported.has(s));
  return {
    phase: 'mixed-70r-30w',
    status: stats.errors + stats.wrong > 0 ? 'failed' : 'ok',
    stats,
    ...(cpuPerRequestMs === undefined ? {} : { cpuPerRequestMs }),
    problems,
    ...(missing.length ? { note: `reads without ${missing.join(', ')} (not ok in their own phase): GET instead` } : {}),
  };
}
