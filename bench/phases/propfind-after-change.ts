/**
 * propfind-after-change: what a syncing client does when a calendar's CTag moved (Thunderbird,
 * Evolution, CalDAV Synchronizer): another client PUTs one event of a calendar of N (at most
 * 1,000) events, then the PROPFIND Depth 1 of getetag and getcontenttype is timed. With the
 * server's kept member listings (domain/member-listings.ts) that PROPFIND reads the change feed
 * and the changed member's row, not every member; the same rounds against a server with the
 * listings (and object cache) off give `propfind-after-change-uncached`, so the figure is also a
 * ratio. Each answer is checked: every member once, and the changed member's new ETag.
 *
 * Against in-process test servers of their own (SQLite), sequential: one listing's latency.
 */
import { eventBody } from '../../test/helpers/event-body.js';
import { startTestServer, type TestServer } from '../../test/helpers/server.js';
import { summarize } from '../client.js';
import type { PhaseResult } from './common.js';

export const AFTER_CHANGE_PHASE = 'propfind-after-change';
const UNCACHED_PHASE = 'propfind-after-change-uncached';
const MAX_EVENTS = 1_000;
const MAX_ROUNDS = 100;
const AUTH = `Basic ${Buffer.from('alice:alice-pw').toString('base64')}`;
const LISTING =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/></d:prop></d:propfind>';

function event(i: number, summary: string): Uint8Array {
  const day = `2027${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  return eventBody(`after-change-${i}`, [`DTSTART:${day}T100000Z`, 'DURATION:PT1H', `SUMMARY:${summary}`]);
}

async function put(server: TestServer, i: number, summary: string): Promise<string> {
  const res = await fetch(`${server.url}/dav/calendars/alice/default/ev-${i}.ics`, {
    method: 'PUT',
    headers: { Authorization: AUTH, 'Content-Type': 'text/calendar; charset=utf-8' },
    body: event(i, summary),
  });
  await res.arrayBuffer();
  if (res.status !== 201 && res.status !== 204) throw new Error(`PUT ev-${i}: ${res.status}`);
  return res.headers.get('etag') ?? '';
}

/** `rounds` changes, each followed by a timed listing; the problems of any answer. */
async function rounds(
  objectCacheBytes: number | undefined,
  events: number,
  count: number,
): Promise<{ ms: number[]; seconds: number; problems: string[] }> {
  const server = await startTestServer({
    users: { alice: 'alice-pw' },
    config: objectCacheBytes === undefined ? {} : { objectCacheBytes },
  });
  try {
    for (let i = 0; i < events; i++) await put(server, i, 'first');
    const ms: number[] = [];
    const problems: string[] = [];
    const t0 = performance.now();
    for (let r = -1; r < count; r++) {
      const changed = (r * 37 + 11 + events) % events;
      const etag = await put(server, changed, `round ${r}`);
      const started = performance.now();
      const res = await fetch(`${server.url}/dav/calendars/alice/default/`, {
        method: 'PROPFIND',
        headers: { Authorization: AUTH, Depth: '1', 'Content-Type': 'application/xml' },
        body: LISTING,
      });
      const text = await res.text();
      if (r >= 0) ms.push(performance.now() - started); // round -1 warms up
      const responses = text.split('<D:response>').length - 1;
      if (res.status !== 207 || responses !== events + 1)
        problems.push(`round ${r}: ${res.status}, ${responses} responses`);
      else if (!text.includes(`ev-${changed}.ics</D:href><D:propstat><D:prop><D:getetag>${etag}<`))
        problems.push(`round ${r}: ev-${changed}.ics without its new ETag ${etag}`);
    }
    return { ms, seconds: (performance.now() - t0) / 1000, problems: problems.slice(0, 3) };
  } finally {
    await server.close();
  }
}

export async function runPropfindAfterChange(
  events: number,
  requests: number,
  log: (line: string) => void,
): Promise<PhaseResult[]> {
  const n = Math.max(10, Math.min(MAX_EVENTS, events));
  const count = Math.max(1, Math.min(MAX_ROUNDS, requests));
  try {
    const kept = await rounds(undefined, n, count);
    const off = await rounds(0, n, count);
    const keptStats = summarize(kept.ms, 0, kept.problems.length, kept.seconds, 0, false);
    const offStats = summarize(off.ms, 0, off.problems.length, off.seconds, 0, false);
    const note = `${n} events; listings off: p50 ${offStats.p50.toFixed(2)} ms (${(offStats.p50 / keptStats.p50).toFixed(1)}× kept)`;
    log(`  ${AFTER_CHANGE_PHASE}: p50 ${keptStats.p50.toFixed(2)} ms, p99 ${keptStats.p99.toFixed(2)} ms — ${note}`);
    return [
      {
        phase: AFTER_CHANGE_PHASE,
        status: kept.problems.length > 0 ? 'failed' : 'ok',
        stats: keptStats,
        problems: kept.problems,
        note,
      },
      {
        phase: UNCACHED_PHASE,
        status: off.problems.length > 0 ? 'failed' : 'ok',
        stats: offStats,
        problems: off.problems,
      },
    ];
  } catch (err) {
    const note = String((err as Error).message ?? err);
    return [{ phase: AFTER_CHANGE_PHASE, status: 'failed', problems: [note], note }];
  }
}
