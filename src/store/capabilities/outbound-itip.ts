import type { NewOutboundItip, OutboundItip, OutboundItipResult } from '../types.js';

/** iTIP messages for calendar users outside this server (RFC 6638 §3.2 delivery by another transport, e.g. iMIP), read. */
export interface OutboundItipReader {
  /** Messages not yet sent for good (pending or waiting for a retry), oldest first, at most `limit`. */
  pendingItip(limit: number): Promise<OutboundItip[]>;
  getItip(id: number): Promise<OutboundItip | null>;
}

/** The outbound iTIP queue, written (inside a transaction). */
export interface OutboundItipWriter {
  /** Queue one message for one recipient; returns its id. */
  enqueueItip(message: NewOutboundItip): Promise<number>;
  /**
   * Take up to `limit` messages due at `now` and not leased by another holder, leasing them to
   * `holder` until `until`. Atomic across every node sharing the database: two claims never get
   * the same message while its lease runs.
   */
  claimItip(holder: string, now: number, until: number, limit: number): Promise<OutboundItip[]>;
  /** Record what became of a claimed message: sent, failed for good, or to be retried at `retryAt`. */
  markItip(id: number, result: OutboundItipResult, now: number): Promise<void>;
}
