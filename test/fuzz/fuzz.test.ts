// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * Bounded request fuzzing (hardening): first every input that once hung, crashed or took over the
 * server (regressions.ts), then mutated iCalendar, vCard, DAV XML, SyncML XML and WBXML for about
 * FUZZ_SECONDS (default 20) against a real `almanac serve`. No request may get a 5xx (a 507 that
 * names DAV:number-of-matches-within-limits is a stated limit, RFC 4791 §7.8), take longer
 * than the per-request bound or drop the connection, and a plain GET must keep answering. A failure
 * prints the seed and case number; `npm run fuzz -- --seed S` replays it and keeps the input.
 * A longer run for development: `npm run fuzz -- --seconds 600`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runFuzz, send } from './engine.js';
import { REGRESSIONS } from './regressions.js';
import { AUTHORIZATION, HEALTH_BODY, HEALTH_PATH, startFuzzServer, type FuzzServer } from './server.js';

/** Per-request bound: generous for a loaded 2-core CI machine, far below a hang. */
const PER_REQUEST_MS = 5_000;
const SECONDS = Number(process.env['FUZZ_SECONDS'] ?? 20);
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x5eed);
/**
 * The suite sends the same cases on every machine: at most CASES (and at most SECONDS), so a fast
 * machine does not wander into inputs a slow one never reaches. `npm run fuzz` explores further.
 */
const CASES = Number(process.env['FUZZ_CASES'] ?? 600);

describe('fuzzing: no input crashes, hangs or 5xxs the server', () => {
  let server: FuzzServer;
  before(async () => {
    server = await startFuzzServer();
  });
  after(async () => server.close());

  for (const r of REGRESSIONS) {
    it(`regression: ${r.name}`, async () => {
      for (const [i, step] of r.steps.entries()) {
        const a = await send(server.url, r.anonymous ? '' : AUTHORIZATION, step.request, PER_REQUEST_MS * 4);
        const where = `step ${i + 1} (${step.request.method} ${step.request.path})`;
        assert.equal(server.died(), null, `server died at ${where}: ${server.process.stderr().slice(-2000)}`);
        assert.equal(a.error, undefined, `${where}: ${a.error ?? ''}`);
        assert.ok(a.status < 500 || a.withinLimits === true, `${where}: HTTP ${a.status}`);
        if (step.expect === 'reject') assert.ok(a.status >= 400, `${where}: must be refused, got ${a.status}`);
        assert.ok(a.ms < PER_REQUEST_MS, `${where}: took ${Math.round(a.ms)} ms`);
      }
    });
  }

  it(`${CASES} mutated inputs within ${SECONDS} s (seed ${SEED}): no 5xx, no crash, every request under ${PER_REQUEST_MS} ms`, async () => {
    const result = await runFuzz({
      url: server.url,
      authorization: AUTHORIZATION,
      seed: SEED,
      durationMs: SECONDS * 1000,
      maxCases: CASES,
      perRequestMs: PER_REQUEST_MS,
      healthPath: HEALTH_PATH,
      healthMs: 2_000,
      failureDir: 'test-output/fuzz',
    });
    console.log(
      `fuzz: ${result.cases} cases, ${result.requests} requests, kinds ${JSON.stringify(result.byKind)}, statuses ${JSON.stringify(result.statuses)}, slowest ${result.slowestMs} ms (${result.slowest})`,
    );
    assert.equal(server.died(), null, `server died: ${server.process.stderr().slice(-2000)}`);
    const errors = server.process
      .stderr()
      .split('\n')
      .filter((l) => /error|exception|at /i.test(l))
      .slice(-30)
      .join('\n');
    assert.deepEqual(
      result.failures,
      [],
      `inputs kept under test-output/fuzz/; the server's last error lines:\n${errors}`,
    );
    assert.ok(result.cases >= 50, `only ${result.cases} cases ran`);
    const keep = await fetch(new URL(HEALTH_PATH, server.url), { headers: { Authorization: AUTHORIZATION } });
    assert.equal(await keep.text(), HEALTH_BODY, 'data stored before the run is intact');
  });
});
