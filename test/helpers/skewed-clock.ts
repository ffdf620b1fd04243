/**
 * Loaded with `node --import` into a server process whose clock should be off (the cluster's
 * clock-skew test): `Date` — `Date.now()`, `new Date()` — runs ALMANAC_TEST_CLOCK_SKEW_MS
 * milliseconds ahead (negative: behind). Monotonic timers (setTimeout, performance.now) are left
 * alone, as a wrong wall clock leaves them.
 */
const skew = Number(process.env.ALMANAC_TEST_CLOCK_SKEW_MS ?? 0);
if (skew !== 0 && Number.isFinite(skew)) {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + skew;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
}
