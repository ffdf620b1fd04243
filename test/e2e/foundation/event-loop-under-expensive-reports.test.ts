// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * One request's CPU work must not hold the event loop (domain/cooperative.ts): while the most
 * expensive calendaring requests we know of run in a loop (bench/phases/expensive-requests.ts) a
 * simple GET of a small object keeps being answered, none of them waits seconds, and every
 * expensive request gets an answer other than 500. How fast the GETs are (the p99 target) is a
 * figure of the benchmark: its get-under-expensive-reports phase (docs/PERFORMANCE.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  expensiveObjects,
  expensiveRequests,
  runExpensiveLanes,
  SMALL_EVENT,
  type ExpensiveRequest,
} from '../../../bench/phases/expensive-requests.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const CALS = { main: '/dav/calendars/alice/default/', huge: '/dav/calendars/alice/huge/' };
/** How long the expensive requests run while simple GETs are sent (at least; until each ran once). */
const RUN_MS = 6_000;
/** Two lanes of expensive requests at once. */
const LANES = 2;
/** Bound on the whole run. */
const MAX_RUN_MS = 60_000;
/**
 * A hardening bound, not a performance figure: a GET held behind a whole expensive request
 * (the event loop not yielding) waits seconds; a served one takes milliseconds.
 */
const HELD_MS = 2_000;

let server: TestServer;
let fetchAs: ReturnType<typeof davFetch>;

async function sendStatus(r: ExpensiveRequest): Promise<number> {
  const res = await fetchAs(r.path, { method: r.method, headers: r.headers, body: r.body });
  await res.arrayBuffer();
  return res.status;
}

before(async () => {
  server = await startTestServer({ config: { responseCacheBytes: 0 } });
  fetchAs = davFetch(server.url);
  assert.equal((await fetchAs(CALS.huge, { method: 'MKCALENDAR' })).status, 201);
  for (const r of [
    {
      method: 'PUT' as const,
      path: `${CALS.main}${SMALL_EVENT.name}`,
      headers: { 'Content-Type': 'text/calendar' },
      body: SMALL_EVENT.body,
    },
    ...expensiveObjects(CALS),
  ]) {
    const status = await sendStatus(r);
    assert.ok(status === 201 || status === 204, `${r.path}: ${status}`);
  }
});
after(() => server.close());

describe('event loop: expensive calendaring requests leave room for others', () => {
  it(`a concurrent simple GET keeps being answered, none held ${HELD_MS} ms`, async () => {
    let done = false;
    const lanes = runExpensiveLanes(expensiveRequests(CALS), LANES, sendStatus, RUN_MS, MAX_RUN_MS).finally(() => {
      done = true;
    });
    const latencies: number[] = [];
    while (!done) {
      const start = performance.now();
      const res = await fetchAs(`${CALS.main}${SMALL_EVENT.name}`);
      await res.arrayBuffer();
      latencies.push(performance.now() - start);
      assert.equal(res.status, 200);
    }
    const statuses = await lanes;
    latencies.sort((a, b) => a - b);
    console.log(
      `GETs: ${latencies.length}, max ${latencies.at(-1)?.toFixed(1)} ms; expensive answers (statuses per request): ${JSON.stringify(statuses)}`,
    );
    for (const s of statuses)
      assert.ok(s.length > 0 && !s.includes(500), `expensive answers: ${JSON.stringify(statuses)}`);
    assert.ok(latencies.length >= 10, `GETs answered while the expensive requests ran: ${latencies.length}`);
    assert.ok((latencies.at(-1) ?? Infinity) < HELD_MS, `slowest GET ${latencies.at(-1)?.toFixed(0)} ms`);
  });
});
