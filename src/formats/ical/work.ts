/**
 * A computation that pauses between steps: a generator that yields (nothing) now and then and
 * returns its result. Recurrence expansion can take long for one object (limits.ts bounds it,
 * not to a few milliseconds); written as Work, the same code runs at once (`runNow`, here and in
 * the browser) or in slices that let the server's event loop answer other requests in between
 * (domain/cooperative.ts `runSliced`).
 */
export type Work<T> = Generator<void, T, void>;

/** Run a Work to its end without pausing. */
export function runNow<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
