import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intervalsOverlap, overlappingTriples } from './interval-index.js';
import { intervalOverlaps, type TimeRange } from './time-range.js';

/** The linear scan the index replaces: every triple tested, in the array's order. */
function scanned(t: Float64Array, r: TimeRange): number[] {
  const out: number[] = [];
  for (let k = 0; k + 2 < t.length; k += 3) {
    if (intervalOverlaps(t[k] as number, t[k + 1] as number, t[k + 2] === 1, r)) out.push(k);
  }
  return out;
}

/** mulberry32: a seeded sequence, so a failure names its case. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HOUR = 3_600_000;

describe('stored instance triples that overlap a range (RFC 4791 §9.9), by a start index', () => {
  it('finds exactly the triples the linear scan finds, in the same order, for seeded series and ranges', () => {
    let compared = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const next = rng(seed);
      const n = Math.floor(next() * 300);
      const values: number[] = [];
      // Overrides first, anywhere, then occurrences in order (as the index stores a series),
      // and now and then one out of order, zero-length, inverted or very long.
      const overrides = Math.floor(next() * 6);
      let at = 1_700_000_000_000;
      for (let i = 0; i < n; i++) {
        const start =
          i < overrides || next() < 0.02
            ? at + (next() - 0.5) * 400 * HOUR
            : (at += (1 + Math.floor(next() * 48)) * HOUR);
        const kind = next();
        const length =
          kind < 0.1 ? 0 : kind < 0.13 ? -HOUR : kind < 0.16 ? 90 * 24 * HOUR : Math.floor(next() * 5) * HOUR;
        values.push(start, start + length, length === 0 && next() < 0.8 ? 0 : 1);
      }
      const t = Float64Array.from(values);
      const first = values[0] ?? at;
      for (let q = 0; q < 40; q++) {
        const s = first + (next() - 0.2) * (at - first + 100 * HOUR);
        const e = s + next() * 30 * 24 * HOUR;
        const r: TimeRange = { start: q % 13 === 0 ? null : s, end: q % 17 === 0 ? null : e };
        const expected = scanned(t, r);
        assert.deepEqual(overlappingTriples(t, r), expected, `seed ${seed} range ${JSON.stringify(r)}`);
        assert.equal(intervalsOverlap(t, r), expected.length > 0);
        const one = overlappingTriples(t, r, true);
        assert.ok(one.length === Math.min(1, expected.length) && one.every((k) => expected.includes(k)));
        compared += 1;
      }
    }
    assert.ok(compared === 2400);
  });

  it('reads a triple holding a value that is not a number as the scan does', () => {
    const values: number[] = [];
    for (let i = 0; i < 100; i++) values.push(i * HOUR, i * HOUR + HOUR / 2, 1);
    values[3 * 40 + 1] = NaN;
    values[3 * 60] = NaN;
    const t = Float64Array.from(values);
    for (const r of [
      { start: 39 * HOUR, end: 62 * HOUR },
      { start: null, end: 5 * HOUR },
      { start: 99 * HOUR, end: null },
    ]) {
      assert.deepEqual(overlappingTriples(t, r), scanned(t, r));
    }
  });
});
