/**
 * Sharing the event loop. One request's CPU work (expanding recurrences, rendering a large
 * multistatus) runs in slices of at most SLICE_MS; between slices it waits in a queue shared by
 * all such work, and ONE waiting slice is resumed per turn of the event loop (setImmediate). So
 * however many expensive requests run at once, each turn does at most about one slice of them
 * before the loop polls for I/O again, and a simple GET next to them waits about one slice per
 * step it takes, not for whole reports.
 *
 * Which slice goes next: the one of the request that arrived first (`asTask`), until it has
 * run FAVOURED_SLICES slices; past that it is long work, which takes turns with the other long
 * work round-robin and gets one turn in LONG_WORK_SHARE while shorter work waits. Taking turns
 * among all requests alike (as this queue did) keeps every one of them half-done at once: eight
 * PROPFINDs of 1,000 members each held their rows and text across many young-generation
 * collections, which copied and promoted them (11.7 ms of CPU per request at c=8 taking turns
 * alike, 9.2 ms in arrival order), and each was answered only when all were nearly done. First
 * come, first served lets each finish in turn, while the share keeps a long report from waiting
 * behind a stream of short ones.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ExpansionLimitError } from '../formats/ical/errors.js';
import type { Work } from '../formats/ical/work.js';

/** Longest stretch of work between two turns of the event loop. */
const SLICE_MS = 2;
/** How many steps of a Work run between two looks at the clock. */
const STEPS_PER_CHECK = 16;
/** Slices a request runs in arrival order before it counts as long work (about 50 ms of CPU). */
export const FAVOURED_SLICES = 25;
/** While favoured work waits, one turn in this many still goes to long work. */
export const LONG_WORK_SHARE = 4;

let sliceStart = performance.now();

/** One request's sliced work: its arrival order and how many slices it has waited for. */
interface Task {
  readonly seq: number;
  slices: number;
}

interface Waiter {
  readonly seq: number;
  readonly resume: () => void;
}

/** A request's budget for sliced work: the time by which it must be done (performance.now()). */
interface Budget {
  readonly until: number;
  readonly ms: number;
}

/**
 * What sliced work reads of the request it runs for: its task, and its time budget if it has one.
 * One AsyncLocalStorage for both: every promise of the server runs the async hooks of each one
 * in use (issue #20).
 */
interface RequestWork {
  readonly task: Task | null;
  readonly budget: Budget | null;
}

const current = new AsyncLocalStorage<RequestWork>();
let nextSeq = 0;

/** Run `fn` (one request's handling) as one task of the queue: its slices are ordered by its arrival. */
export function asTask<T>(fn: () => T): T {
  return current.run({ task: { seq: nextSeq++, slices: 0 }, budget: null }, fn);
}

/** Favoured slices by arrival (few: about one per request in progress), and long work in turn. */
const favoured: Waiter[] = [];
const long: Waiter[] = [];
let turns = 0;
let scheduled = false;

function resumeOne(): void {
  scheduled = false;
  turns += 1;
  const fromLong = long.length > 0 && (favoured.length === 0 || turns % LONG_WORK_SHARE === 0);
  (fromLong ? long : favoured).shift()?.resume();
  if (favoured.length + long.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(resumeOne);
}

/** Put `w` among the favoured, after every earlier arrival (a short scan from the end). */
function enqueueFavoured(w: Waiter): void {
  let i = favoured.length;
  while (i > 0 && favoured[i - 1]!.seq > w.seq) i--;
  favoured.splice(i, 0, w);
}

/** Wait for this work's turn (see the top of this file). Work outside any task counts as arriving now. */
function nextTurn(): Promise<void> {
  const task = current.getStore()?.task ?? { seq: nextSeq++, slices: 0 };
  task.slices += 1;
  return new Promise((resume) => {
    const w = { seq: task.seq, resume };
    if (task.slices > FAVOURED_SLICES) long.push(w);
    else enqueueFavoured(w);
    schedule();
  });
}

/** Whether the current slice has run SLICE_MS or more (a loop checks this without a promise). */
export function sliceDue(): boolean {
  return performance.now() - sliceStart >= SLICE_MS;
}

/** Items (listed members, written responses) a loop handles between two looks at the clock. */
const ITEMS_PER_CHECK = 8;

/**
 * `sliceDue` for a loop over cheap items, `count` the items handled so far: the clock is read
 * every ITEMS_PER_CHECK items only (performance.now() was a twentieth of a 1,000-member
 * listing; 8 items take tens of microseconds against a 2 ms slice).
 */
export function sliceDueAfter(count: number): boolean {
  return count % ITEMS_PER_CHECK === 0 && sliceDue();
}

/** Let the event loop turn if the current slice has run SLICE_MS or more. */
export async function yieldIfDue(): Promise<void> {
  if (!sliceDue()) return;
  await nextTurn();
  sliceStart = performance.now();
}

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
  return (fn) => current.run({ task: current.getStore()?.task ?? null, budget }, fn);
}

/** Throw when the current request's time budget (if any) is spent. */
function checkBudget(): void {
  const b = current.getStore()?.budget;
  if (b && performance.now() > b.until)
    throw new ExpansionLimitError(`the request needs more than ${b.ms} ms of calendar computation`);
}

/** A value, or the promise of one when it had to wait: a loop over many cheap items then waits only where one really does. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Run a Work in slices, letting the event loop turn between them, within the request's time
 * budget. A Work that ends before its slice is due is answered at once, without a promise: most
 * renderings of one object are (an expanded week of 40 objects made about 780 promises, which the
 * async hooks of AsyncLocalStorage make dearer still; issue #20).
 */
export function runSliced<T>(work: Work<T>): MaybePromise<T> {
  checkBudget();
  for (let n = 1; ; n++) {
    const step = work.next();
    if (step.done) return step.value;
    if (n % STEPS_PER_CHECK === 0) {
      if (sliceDue()) return slicedOn(work);
      checkBudget();
    }
  }
}

/** The rest of `runSliced`'s Work, from a turn of the event loop on. */
async function slicedOn<T>(work: Work<T>): Promise<T> {
  for (let n = 0; ; n++) {
    if (n % STEPS_PER_CHECK === 0) {
      if (sliceDue()) await yieldIfDue();
      checkBudget();
    }
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * `work` started now and awaited later, maybe not at all (an earlier refusal or failure ends the
 * request first): its failure is then nobody's, not an unhandled rejection. Awaiting it still
 * throws. For reads sent together rather than one after another (issue #20).
 */
export function ahead<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}
