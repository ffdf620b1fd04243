/**
 * When each bench phase ran, on the clock of V8's CPU profiles: CLOCK_MONOTONIC in microseconds,
 * the same in the bench and in the server process it profiles (a .cpuprofile's startTime and its
 * sample times are on it). Written beside the profiles by `--cpu-prof`, read by profile-summary.
 */
export interface PhaseWindow {
  readonly phase: string;
  readonly from: number;
  readonly to: number;
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
