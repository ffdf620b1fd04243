// almanac-test: alone (asserts what happens within a 2 ms slice; test/run.js runs it with nothing beside it)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asTask, FAVOURED_SLICES, LONG_WORK_SHARE, runSliced, yieldIfDue } from './cooperative.js';
import type { Work } from '../formats/ical/work.js';

/** Busy-wait past one slice, so the next yieldIfDue waits for a turn. */
function burnSlice(): void {
  const until = performance.now() + 3;
  while (performance.now() < until);
}

/** A request's sliced work: `slices` slices, each logged as `name` when it runs. */
function request(name: string, slices: number, log: string[]): Promise<void> {
  return asTask(async () => {
    for (let i = 0; i < slices; i++) {
      await yieldIfDue();
      log.push(name);
      burnSlice();
    }
  });
}

/** Where each name's runs start and end in the log. */
function span(log: readonly string[], name: string): { first: number; last: number } {
  return { first: log.indexOf(name), last: log.lastIndexOf(name) };
}

describe('cooperative: which waiting slice runs next', () => {
  it('requests that arrive together finish in arrival order, not all half-done at once', async () => {
    const log: string[] = [];
    burnSlice();
    await Promise.all([request('a', 5, log), request('b', 5, log), request('c', 5, log)]);
    assert.equal(log.length, 15);
    // Taking turns alike gives a,b,c,a,b,c…: each request done only when all nearly are.
    assert.deepEqual(log, [...'aaaaabbbbbccccc']);
  });

  it('long work shares the loop with later short requests: neither starves', async () => {
    const log: string[] = [];
    const long = request('long', FAVOURED_SLICES + 4 * LONG_WORK_SHARE, log);
    // Short requests keep arriving while the long one runs past its favoured slices.
    const shorts: Promise<void>[] = [];
    for (let k = 0; k < 6; k++) {
      await new Promise((r) => setTimeout(r, 15));
      shorts.push(request(`s${k}`, 3, log));
    }
    await Promise.all([long, ...shorts]);
    const l = span(log, 'long');
    for (let k = 0; k < 6; k++) {
      const s = span(log, `s${k}`);
      assert.ok(s.first >= 0, `s${k} ran`);
      // A later short request is not held until the long work ends…
      if (l.last > s.last) continue;
      assert.fail(`s${k} finished only after the long work (log: ${log.join(' ')})`);
    }
    // …and the long work still ran while the short ones waited for turns.
    const longWhileShortsWaited = log.slice(span(log, 's0').first, span(log, 's5').last).filter((n) => n === 'long');
    assert.ok(longWhileShortsWaited.length > 0, `long work ran among the short ones (log: ${log.join(' ')})`);
  });
});

describe('cooperative: runSliced', () => {
  function* steps(n: number, spinMs = 0): Work<number> {
    for (let i = 0; i < n; i++) {
      const until = performance.now() + spinMs;
      while (performance.now() < until); // CPU work, as an expansion's step is
      yield;
    }
    return n;
  }

  it('a Work that ends within its slice is answered at once, without a promise (issue #20)', async () => {
    await yieldIfDue(); // a fresh slice
    const out = runSliced(steps(100));
    assert.equal(out instanceof Promise, false);
    assert.equal(out, 100);
  });

  it('a Work that outlasts its slice lets the event loop turn, and still ends with its value', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    const out = runSliced(steps(64, 0.5)); // about 32 ms of CPU: many slices
    assert.ok(out instanceof Promise);
    assert.equal(await out, 64);
    assert.ok(turned, 'the event loop turned while it ran');
  });
});
