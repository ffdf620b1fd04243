/**
 * Sharing the event loop. One request's CPU work (expanding recurrences, rendering a large
 * multistatus) runs in slices of at most SLICE_MS; between slices it waits in one queue shared
 * by all such work, which resumes ONE waiting slice per turn of the event loop (setImmediate).
 * So however many expensive requests run at once, each turn does at most about one slice of
 * them before the loop polls for I/O again, and a simple GET next to them waits about one slice
 * per step it takes, not for whole reports.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ExpansionLimitError } from '../formats/ical/errors.js';
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

/** A request's time budget for sliced work: the time by which it must be done (performance.now()). */
interface Budget {
  readonly until: number;
  readonly ms: number;
}

const budgets = new AsyncLocalStorage<Budget>();

/**
 * A budget of `ms` of wall time from now, and the runner that puts `fn` (and the sliced work it
 * starts, however long it waits for its turns) under it; call the runner for every part of one
 * request. A Work still running after the budget fails with ExpansionLimitError, so one request's
 * expansions cannot hold the server for longer, whatever its data (explicit bounds on request
 * time). Wall time, not CPU: under load a report waits for its turns, and one that would wait too
 * long is refused rather than everyone waiting longer.
 */
export function timeBudget(ms: number): <T>(fn: () => T) => T {
  const budget: Budget = { until: performance.now() + ms, ms };
  return (fn) => budgets.run(budget, fn);
}

/** Throw when the current request's time budget (if any) is spent. */
function checkBudget(): void {
  const b = budgets.getStore();
  if (b && performance.now() > b.until)
    throw new ExpansionLimitError(`the request needs more than ${b.ms} ms of calendar computation`);
}

/** Run a Work in slices, letting the event loop turn between them, within the request's time budget. */
export async function runSliced<T>(work: Work<T>): Promise<T> {
  checkBudget();
  for (let n = 1; ; n++) {
    const step = work.next();
    if (step.done) return step.value;
    if (n % STEPS_PER_CHECK === 0) {
      await yieldIfDue();
      checkBudget();
    }
  }
}
