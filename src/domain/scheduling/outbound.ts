/**
 * The outbound iTIP queue as a transport (iMIP, src/mail/) drains it: claim due messages under a
 * lease, send them, mark each. Messages are queued by implicit scheduling in the transaction of
 * the write that caused them (send.ts), so a crash between commit and sending loses none; two
 * nodes never hold the same message at once. Sending is at least once: a node that dies after
 * sending but before marking leaves the message to be claimed again when its lease runs out.
 */
import { randomUUID } from 'node:crypto';
import type { OutboundItipWriter, Transactional } from '../../store/store.js';
import type { OutboundItip, OutboundItipResult } from '../../store/types.js';

/**
 * Queue transactions take no lock key: a claim passes over rows another node's claim holds
 * (PostgreSQL FOR UPDATE SKIP LOCKED, store/sql/outbound-itip.ts), and a mark touches one row
 * its claimer leased.
 */
const NO_KEYS: readonly string[] = [];

/** This process's lease holder name. */
const HOLDER = `node-${randomUUID()}`;

interface ClaimOptions {
  /** How long the claimer has to send and mark before another node may take the message (default 5 min). */
  readonly leaseMs?: number;
  readonly now?: number;
}

/** Take up to `limit` due messages for sending; no other node gets them while the lease runs. */
export function claimOutboundItip(
  store: Transactional<OutboundItipWriter>,
  limit: number,
  options: ClaimOptions = {},
): Promise<OutboundItip[]> {
  const now = options.now ?? Date.now();
  return store.transaction(NO_KEYS, (tx) => tx.claimItip(HOLDER, now, now + (options.leaseMs ?? 300_000), limit));
}

/** Record what became of a claimed message: `{ ok: true }`, or the error and when to try again (null = never). */
export function markOutboundItip(
  store: Transactional<OutboundItipWriter>,
  id: number,
  result: OutboundItipResult,
  now = Date.now(),
): Promise<void> {
  return store.transaction(NO_KEYS, (tx) => tx.markItip(id, result, now));
}
