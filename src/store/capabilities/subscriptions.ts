import type { CalendarSubscription } from '../types.js';

/** .ics subscriptions (issue #13), read: one by its collection, a user's, and those due at `now` and not leased. */
export interface SubscriptionsReader {
  getSubscription(collectionId: number): Promise<CalendarSubscription | null>;
  listSubscriptions(ownerId: number): Promise<CalendarSubscription[]>;
  dueSubscriptions(now: number, limit: number): Promise<CalendarSubscription[]>;
}

/** .ics subscriptions, written (inside a transaction). */
export interface SubscriptionsWriter {
  /** Create or update a subscription's settings and state (its lease is left alone). */
  putSubscription(s: CalendarSubscription): Promise<void>;
  /**
   * Take the fetch lease of a subscription until `until`, unless another holder's lease is
   * still running at `now`; true when taken. Atomic across every node sharing the database.
   */
  leaseSubscription(collectionId: number, holder: string, now: number, until: number): Promise<boolean>;
  /** Give the lease back (only if `holder` has it). */
  releaseSubscription(collectionId: number, holder: string): Promise<void>;
}
