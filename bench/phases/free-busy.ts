/**
 * free-busy-query (RFC 4791 §7.10) on the calendar, one distinct week per request. The answer
 * is a VFREEBUSY; its FREEBUSY periods (start/end or start/duration, RFC 5545 §3.8.2.6), merged
 * and clipped to the window, must equal the busy time computed from the data set.
 */
import { expectedBusy, mergePeriods, spreadWindows } from '../expected.js';
import { parseIcsInstant } from '../tz.js';
import { XML_HEADERS, type QueryPhase } from './common.js';
import { timeRange, windowOf } from './queries.js';

const DAYS = 7;

/** RFC 5545 §3.3.6 duration (the forms a server writes in a period), ms; NaN when not one. */
function durationMs(text: string): number {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!m) return NaN;
  const [w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return ((((w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

/** The busy periods of a free-busy answer (FBTYPE absent or BUSY*), plus problems. */
function busyPeriods(ics: string): { periods: Array<[number, number]>; problems: string[] } {
  const periods: Array<[number, number]> = [];
  const problems: string[] = [];
  if (!/BEGIN:VFREEBUSY/.test(ics)) return { periods, problems: ['no VFREEBUSY in the answer'] };
  for (const line of ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    const m = /^FREEBUSY((?:;[^:]*)?):(.*)$/.exec(line);
    if (!m) continue;
    const type = /;FBTYPE=([^;:]+)/i.exec(m[1]!)?.[1]?.toUpperCase() ?? 'BUSY';
    if (!type.startsWith('BUSY')) continue;
    for (const period of m[2]!.split(',')) {
      const [a, b] = period.split('/');
      try {
        const start = parseIcsInstant(a!, null);
        const end = b!.startsWith('P') ? start + durationMs(b!) : parseIcsInstant(b!, null);
        if (!(end > start)) problems.push(`bad period ${period}`);
        else periods.push([start, end]);
      } catch {
        problems.push(`bad period ${period}`);
      }
    }
  }
  return { periods, problems };
}

export const freeBusyPhase: QueryPhase = {
  name: 'free-busy-query-week',
  floorable: true,
  keys: (ctx, n) => spreadWindows(ctx.ds, n, DAYS, 11).map((w) => String(w.start)),
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '1' },
    body: `<?xml version="1.0" encoding="utf-8"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range ${timeRange(windowOf(key, DAYS))}/></C:free-busy-query>`,
  }),
  check(ctx, key, res) {
    if (res.status !== 200) return [`HTTP ${res.status} (expected 200): ${res.body.toString('utf8').slice(0, 200)}`];
    const w = windowOf(key, DAYS);
    const got = busyPeriods(res.body.toString('utf8'));
    const clipped = mergePeriods(
      got.periods.map(([a, b]): [number, number] => [Math.max(a, w.start), Math.min(b, w.end)]),
    );
    const want = expectedBusy(ctx.ds, w);
    const fmt = (ps: Array<[number, number]>): string =>
      ps.map(([a, b]) => `${new Date(a).toISOString()}/${new Date(b).toISOString()}`).join(' ');
    if (fmt(clipped) !== fmt(want)) got.problems.push(`busy [${fmt(clipped)}] expected [${fmt(want)}]`.slice(0, 600));
    return got.problems;
  },
};
