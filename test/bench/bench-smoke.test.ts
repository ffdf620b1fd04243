// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * The benchmark machinery at a tiny size (N=200 events, M=300 contacts, 2 s of mixed load,
 * no Radicale, no PostgreSQL): every phase runs against a real `almanac serve` process and the
 * floor server, and Almanac gives no wrong answer and no error. The get-under-expensive-reports
 * and web-month-render-1000 phases have fixed workloads (the expensive requests each answered once;
 * 1,000 events rendered in Chromium), about a minute on a busy 2-core machine: bounded at 4 minutes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { almanacFailures, runSize } from '../../bench/bench.js';
import { DELEGATES_PHASE, SHARED_HOME_PHASE } from '../../bench/phases/sharing.js';

test('benchmark smoke run: every phase runs, 0 wrong answers, 0 errors', { timeout: 240_000 }, async () => {
  const lines: string[] = [];
  const run = await runSize(
    { label: 'smoke', events: 200, contacts: 300 },
    {
      concurrency: 8,
      requests: 16,
      phaseMs: 3_000,
      mixedMs: 2_000,
      radicalePutSample: 0,
      only: null,
      verbose: false,
      radicale: false,
      postgres: false,
      floor: true,
      pushSubscriptions: 50,
      importEvents: 300,
      // Their set-up (50 shares accepted over HTTP, 162 delegates) takes 10-20 s here: over the
      // 3 s a smoke line may cost. Run them with `npm run bench -- --only shared-home,delegates`.
      except: new Set([SHARED_HOME_PHASE, DELEGATES_PHASE]),
      log: (l) => lines.push(l),
    },
  );
  const almanac = run.runs.find((r) => r.server === 'almanac');
  assert.ok(almanac, 'Almanac ran');
  assert.deepEqual(almanacFailures(run), [], lines.join('\n'));
  for (const p of almanac.phases) {
    if (p.status === 'unsupported') continue; // reported, not faked; phases land as CalDAV/CardDAV do
    assert.equal(p.status, 'ok', `${p.phase}: ${p.note ?? ''}`);
    assert.equal(p.stats?.wrong ?? 0, 0, `${p.phase} wrong answers`);
    assert.equal(p.stats?.errors ?? 0, 0, `${p.phase} errors`);
    assert.ok((p.stats?.count ?? 0) > 0, `${p.phase} made requests`);
  }
  assert.ok(almanac.phases.some((p) => p.phase === 'put-events' && p.stats?.count === 200));
  assert.ok(almanac.rssPeak > 0, 'RSS was sampled');
  assert.ok(run.floor && run.floor.phases.length > 0, 'the floor ran');
});
