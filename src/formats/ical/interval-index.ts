/**
 * Which of an object's stored (start, end, positive) instance triples overlap a range (RFC 4791
 * §9.9, time-range.ts `intervalOverlaps`), without testing every triple. A series keeps up to
 * 4,000 triples (object-index.ts MAX_STORED_INSTANCES) and a query window meets a handful: the
 * month query, the expanded week and free-busy each tested all of them for every series they
 * met (issue #20: a tenth of the expanded week's rendering at 10,000 events).
 *
 * The triples' starts are sorted once per array (an array is one object version's, kept by the
 * object cache by ETag and never modified), with the longest triple's length: a triple that
 * overlaps [lo, hi) starts before hi and, ending after lo, at or after lo − that length. Those
 * are found by binary search and each is tested as before, so the answer is the linear scan's,
 * in the array's own order. Short arrays, and any holding a value that is not a number, are
 * scanned.
 */
import { intervalOverlaps, type TimeRange } from './time-range.js';
import { firstAtOrAfter } from '../sorted-search.js';

/** Triples below this count are scanned: sorting them costs more than it saves. */
const SCANNED = 48;

interface StartIndex {
  /** Triple numbers (k / 3) by start. */
  readonly order: Uint32Array;
  /** Their starts, ascending. */
  readonly starts: Float64Array;
  /** The longest end − start of any triple (0 when none is positive). */
  readonly longest: number;
}

const indexes = new WeakMap<Float64Array, StartIndex | null>();

/** The index of `t`, or null when a start or end is not a number (NaN has no order: scanned). */
function indexOf(t: Float64Array): StartIndex | null {
  let index = indexes.get(t);
  if (index !== undefined) return index;
  const n = Math.floor(t.length / 3);
  const order = new Uint32Array(n);
  let longest = 0;
  let numbers = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    const start = t[3 * i] as number;
    const end = t[3 * i + 1] as number;
    if (Number.isNaN(start) || Number.isNaN(end)) numbers = false;
    longest = Math.max(longest, end - start);
  }
  if (numbers) order.sort((a, b) => (t[3 * a] as number) - (t[3 * b] as number) || a - b);
  index = numbers ? { order, starts: Float64Array.from(order, (i) => t[3 * i] as number), longest } : null;
  indexes.set(t, index);
  return index;
}

function overlaps(t: Float64Array, k: number, r: TimeRange): boolean {
  return intervalOverlaps(t[k] as number, t[k + 1] as number, t[k + 2] === 1, r);
}

/**
 * The offsets k (t[k] is a start) of the triples of `t` that overlap `r`, ascending (the array's
 * order), each tested by `intervalOverlaps`; with `first`, at most the first found (not in order).
 */
export function overlappingTriples(t: Float64Array, r: TimeRange, first = false): number[] {
  const out: number[] = [];
  const index = t.length < SCANNED * 3 ? null : indexOf(t);
  if (!index) {
    for (let k = 0; k + 2 < t.length; k += 3) {
      if (!overlaps(t, k, r)) continue;
      out.push(k);
      if (first) return out;
    }
    return out;
  }
  const { order, starts, longest } = index;
  const end = r.end ?? Infinity;
  for (let i = r.start === null ? 0 : firstAtOrAfter(starts, r.start - longest); i < starts.length; i++) {
    if ((starts[i] as number) >= end) break;
    const k = 3 * (order[i] as number);
    if (!overlaps(t, k, r)) continue;
    out.push(k);
    if (first) return out;
  }
  return out.sort((a, b) => a - b);
}

/** Whether some triple of `t` (time-range.ts `eventIntervals`) overlaps the range. */
export function intervalsOverlap(t: Float64Array, r: TimeRange): boolean {
  return overlappingTriples(t, r, true).length > 0;
}
