/**
 * Sharing the event loop. One request's CPU work (expanding recurrences, rendering a large
 * multistatus) runs in slices of at most SLICE_MS; between slices it waits in one queue shared
 * by all such work, which resumes ONE waiting slice per turn of the event loop (setImmediate).
 * So however many expensive requests run at once, each turn does at most about one slice of
 * them before the loop polls for I/O again, and a simple GET next to them waits about one slice
 * per step it takes, not for whole reports.
 */
import type { Work } from '../formats/ical/work.js';

/** Longest stretch of work between two turns of the event loop. */
const SLICE_MS = 2;
/** How many steps of a Work run between two looks at the clock. */
const STEPS_PER_CHECK = 16;

let sliceStart = performance.now();

const waiting: (() => void)[] = [];
let scheduled = false;

function resumeOne(): void {
  scheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(resumeOne);
}

/** Wait for this work's turn: one waiting slice is resumed per turn of the event loop, in order. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/** Whether the current slice has run SLICE_MS or more (a loop checks this without a promise). */
export function sliceDue(): boolean {
  return performance.now() - sliceStart >= SLICE_MS;
}

/** Let the event loop turn if the current slice has run SLICE_MS or more. */
export async function yieldIfDue(): Promise<void> {
  if (!sliceDue()) return;
  await nextTurn();
  sliceStart = performance.now();
}

/** Run a Work in slices, letting the event loop turn between them. */
export async function runSliced<T>(work: Work<T>): Promise<T> {
  for (let n = 1; ; n++) {
    const step = work.next();
    if (step.done) return step.value;
    if (n % STEPS_PER_CHECK === 0) await yieldIfDue();
  }
}
