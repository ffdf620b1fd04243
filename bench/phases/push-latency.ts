/**
 * push-latency-1000: WebDAV-Push delivery (issue #18). 1,000 subscriptions registered on one
 * calendar (one topic); one warm-up change, then each measured change is a PUT, and the figure is, for every message,
 * the time from the PUT's answer (the change committed) to the message handed to the push
 * service. The push service runs in a worker thread (its own event loop, so receiving does not
 * stall the server it measures) and only timestamps arrivals; tests decrypt and check messages
 * (test/e2e/webdav-push/). The server runs in this process: its loopback push service is a
 * test-only allowance (ServerConfig.pushTestLoopback) that no command-line flag sets.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { summarize } from '../client.js';
import type { PhaseResult } from './common.js';
import { davFetch, startTestServer } from '../../test/helpers/server.js';

export const PUSH_PHASE = 'push-latency-1000';
const CAL = '/dav/calendars/alice/default/';
/** Longest the phase may take, registration included. */
const MAX_MS = 120_000;

/**
 * The receiver: answers 201 and timestamps each arrival (performance time origin + now); the
 * arrivals go to the main thread in batches every few milliseconds, so that receiving 1,000
 * messages does not cost the measured server's thread 1,000 message events.
 */
const RECEIVER = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
let batch = [];
const flush = () => { parentPort.postMessage({ arrivals: batch }); batch = []; };
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (batch.length === 0) setTimeout(flush, 5);
    batch.push({ path: req.url, at: performance.timeOrigin + performance.now() });
    res.writeHead(201);
    res.end();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => { if (m === 'stop') server.close(() => process.exit(0)); });
`;

const now = (): number => performance.timeOrigin + performance.now();

interface Options {
  readonly subscriptions: number;
  readonly changes: number;
}

function body(pushResource: string): string {
  const ecdh = createECDH('prime256v1');
  const key = ecdh.generateKeys().toString('base64url');
  return `<P:push-register xmlns:P="https://bitfire.at/webdav-push" xmlns:D="DAV:"><P:subscription><P:web-push-subscription><P:push-resource>${pushResource}</P:push-resource><P:subscription-public-key type="p256dh">${key}</P:subscription-public-key><P:auth-secret>${randomBytes(16).toString('base64url')}</P:auth-secret></P:web-push-subscription></P:subscription></P:push-register>`;
}

const ics = (i: number): string =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//push//EN\r\nBEGIN:VEVENT\r\nUID:push-${i}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:push ${i}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

/** Run the phase: `subscriptions` on one topic, `changes` changes measured one after another. */
export async function runPushLatency(log: (l: string) => void, opts: Options): Promise<PhaseResult> {
  const worker = new Worker(RECEIVER, { eval: true });
  const arrivals: { path: string; at: number }[] = [];
  let wake: (() => void) | undefined;
  const port = await new Promise<number>((resolve) =>
    worker.on('message', (m: { port?: number; arrivals?: { path: string; at: number }[] }) => {
      if (m.port !== undefined) resolve(m.port);
      else {
        arrivals.push(...(m.arrivals ?? []));
        wake?.();
      }
    }),
  );
  const s = await startTestServer({
    users: { alice: 'alice-pw' },
    config: { pushTestLoopback: true, pushMaxPerUser: opts.subscriptions + 10 },
  });
  const t0 = Date.now();
  const problems: string[] = [];
  try {
    const alice = davFetch(s.url);
    const xml = { 'Content-Type': 'application/xml' };
    for (let i = 0; i < opts.subscriptions; i++) {
      const res = await alice(CAL, { method: 'POST', headers: xml, body: body(`http://127.0.0.1:${port}/s/${i}`) });
      if (res.status !== 201) throw new Error(`push-register ${i}: HTTP ${res.status}`);
    }
    log(`  ${PUSH_PHASE}: ${opts.subscriptions} registrations in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const latencies: number[] = [];
    const firsts: number[] = [];
    let warmUp = NaN;
    // One change first, not measured, as the read phases send warm-up requests (common.ts
    // WARM_KEYS): the push service's connections are opened and the send path is compiled.
    for (let c = -1; c < opts.changes && Date.now() - t0 < MAX_MS; c++) {
      arrivals.length = 0;
      const res = await alice(`${CAL}push-${c}.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: ics(c),
      });
      const committed = now();
      if (res.status !== 201) throw new Error(`PUT: HTTP ${res.status}`);
      const deadline = Date.now() + 30_000;
      while (arrivals.length < opts.subscriptions && Date.now() < deadline)
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      if (arrivals.length !== opts.subscriptions)
        problems.push(`change ${c}: ${arrivals.length} of ${opts.subscriptions} messages`);
      const ms = arrivals.map((a) => Math.max(0, a.at - committed));
      if (c >= 0) {
        latencies.push(...ms);
        firsts.push(Math.min(...ms));
      } else warmUp = Math.max(...ms);
      await new Promise((r) => setTimeout(r, 200)); // nothing more arrives: one message per change
      if (arrivals.length > opts.subscriptions) problems.push(`change ${c}: ${arrivals.length} messages, some twice`);
    }
    const stats = summarize(latencies, 0, problems.length, (Date.now() - t0) / 1000, 0, false);
    const note = `${opts.subscriptions} subscriptions on one topic, ${firsts.length} changes after one warm-up change (all handed in ${warmUp.toFixed(0)} ms); first message p50 ${summarize(firsts, 0, 0, 1, 0, false).p50.toFixed(1)} ms, all handed by p100 ${Math.max(...latencies).toFixed(0)} ms`;
    log(`  ${PUSH_PHASE}: p50 ${stats.p50.toFixed(1)} ms p95 ${stats.p95.toFixed(1)} ms; ${note}`);
    return { phase: PUSH_PHASE, status: problems.length > 0 ? 'failed' : 'ok', stats, problems, note };
  } catch (err) {
    return { phase: PUSH_PHASE, status: 'failed', problems, note: String((err as Error).message ?? err) };
  } finally {
    await s.close();
    worker.postMessage('stop');
    await new Promise((r) => worker.once('exit', r));
  }
}
