import type { AuthFailures } from '../types.js';

/** Failed-authentication counts (shared by every node), read. */
export interface AuthFailuresReader {
  /** The failure counts of those of `subjects` that have one. */
  getAuthFailures(subjects: readonly string[]): Promise<AuthFailures[]>;
}

/** Failed-authentication counts, written (inside a transaction). */
export interface AuthFailuresWriter {
  /**
   * Count one failed authentication of `subject` at `now`, atomically: a count whose last failure
   * is before `forgetBefore` starts again at 1. Returns the new count.
   */
  recordAuthFailure(subject: string, now: number, forgetBefore: number): Promise<AuthFailures>;
  /** Forget the failure count of `subject`. */
  clearAuthFailures(subject: string): Promise<void>;
  /** Forget every count whose last failure is before `before`; returns how many were dropped. */
  pruneAuthFailures(before: number): Promise<number>;
}
