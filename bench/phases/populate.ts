/**
 * PUT populate. Almanac and Cyrus get every object by HTTP PUT. Radicale gets a bounded sample by PUT,
 * taken from the middle of the data set (so it is measured at about half the final collection
 * size, like the average Almanac PUT), and the rest written straight into its storage folder,
 * which is Radicale's own on-disk format (one file per item).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, send } from '../client.js';
import { renderContact, renderEvent } from '../generator.js';
import type { RadicaleServer } from '../servers.js';
import { hrefOf, measuredLoad, problemSink, type Ctx, type PhaseResult } from './common.js';

interface Item {
  readonly name: string;
  readonly body: string;
}

const CONTENT_TYPE = { calendar: 'text/calendar; charset=utf-8', addressbook: 'text/vcard; charset=utf-8' };

async function putAll(
  ctx: Ctx,
  phase: string,
  kind: 'calendar' | 'addressbook',
  items: readonly Item[],
  from: number,
  to: number,
  maxMs: number,
  done?: Set<number>,
): Promise<PhaseResult> {
  const problems: string[] = [];
  const collection = kind === 'calendar' ? ctx.server.calendar : ctx.server.addressbook;
  const { stats, cpuPerRequestMs } = await measuredLoad(ctx.server, () =>
    load(
      { concurrency: ctx.opts.concurrency, count: to - from, maxMs },
      async (i) => {
        const item = items[from + i]!;
        const res = await send(ctx.t, {
          method: 'PUT',
          path: hrefOf(collection, item.name),
          body: item.body,
          headers: { 'Content-Type': CONTENT_TYPE[kind], 'If-None-Match': '*' },
        });
        if (res.status === 201) done?.add(from + i);
        return {
          res,
          problems:
            res.status === 201
              ? []
              : [`PUT ${item.name}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`],
        };
      },
      problemSink(phase, ctx.server.name, problems, ctx.log),
    ),
  );
  const bad = stats.errors + stats.wrong;
  return {
    phase,
    status: bad > 0 ? 'failed' : 'ok',
    stats,
    ...(cpuPerRequestMs === undefined ? {} : { cpuPerRequestMs }),
    problems,
    ...(from > 0 || stats.truncated
      ? { note: `${stats.count} PUTs measured at ${from}…${from + stats.count} of ${items.length}` }
      : {}),
  };
}

function items(ctx: Ctx): { events: Item[]; contacts: Item[] } {
  return {
    events: ctx.ds.events.map((e) => ({ name: e.name, body: renderEvent(e) })),
    contacts: ctx.ds.contacts.map((c) => ({ name: c.name, body: renderContact(c) })),
  };
}

/**
 * Every object by HTTP PUT, all measured (Almanac, Cyrus). `done` hears each of the two phases
 * as soon as it ends (the bench's phase windows for `--cpu-prof` are taken then; they were
 * taken after both, so the contacts' PUTs were profiled as the events').
 */
export async function populateByPut(ctx: Ctx, done?: (r: PhaseResult) => void): Promise<PhaseResult[]> {
  const { events, contacts } = items(ctx);
  const bound = 60 * 60_000; // an hour at most, whatever the size
  const out: PhaseResult[] = [];
  for (const [phase, kind, list] of [
    ['put-events', 'calendar', events],
    ['put-contacts', 'addressbook', contacts],
  ] as const) {
    const r = await putAll(ctx, phase, kind, list, 0, list.length, bound);
    if (r.stats?.truncated) throw new Error(`${r.phase} did not finish within its bound`);
    done?.(r);
    out.push(r);
  }
  return out;
}

/** Radicale: a bounded sample by PUT, the rest written to its folder; `done` as for populateByPut. */
export async function populateRadicale(
  ctx: Ctx,
  server: RadicaleServer,
  done?: (r: PhaseResult) => void,
): Promise<PhaseResult[]> {
  const { events, contacts } = items(ctx);
  const out: PhaseResult[] = [];
  for (const [phase, kind, list, dir] of [
    ['put-events', 'calendar', events, server.calendarDir],
    ['put-contacts', 'addressbook', contacts, server.addressbookDir],
  ] as const) {
    const sample = Math.min(ctx.opts.radicalePutSample, list.length);
    const from = Math.floor((list.length - sample) / 2);
    for (let i = 0; i < from; i++) writeFileSync(join(dir, list[i]!.name), list[i]!.body);
    const put = new Set<number>();
    const r = await putAll(ctx, phase, kind, list, from, from + sample, ctx.opts.phaseMs * 3, put);
    for (let i = from; i < list.length; i++) if (!put.has(i)) writeFileSync(join(dir, list[i]!.name), list[i]!.body);
    done?.(r);
    out.push(r);
  }
  return out;
}
