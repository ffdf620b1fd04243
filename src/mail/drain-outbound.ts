import type { OutboundItipMessage } from './itip-message.js';
import type { ItipMailer, SendResult } from './mailer.js';

/** A queued outbound message as the scheduling queue hands it over (one per recipient). */
export interface QueuedItip extends OutboundItipMessage {
  /** The queue row's id, handed back to `mark`. */
  readonly id: string;
  /** Sends tried before this one (0 on the first). */
  readonly attempts: number;
}

/** What became of a claimed message; the queue stores it. */
export type DrainOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'skipped'; readonly reason: string }
  /** Try again at `notBefore` (a transient failure with attempts left). */
  | { readonly status: 'retry'; readonly error: string; readonly notBefore: Date }
  /** Given up: a permanent failure, or the last attempt failed. */
  | { readonly status: 'failed'; readonly error: string };

/** Claim up to `limit` due messages (the queue makes sure no other node gets them meanwhile). */
export type ClaimOutbound = (limit: number) => Promise<readonly QueuedItip[]>;
export type MarkOutbound = (id: string, outcome: DrainOutcome) => Promise<void>;

export interface DrainOptions {
  /** Attempts in all before a transient failure becomes final (default 8). */
  readonly maxAttempts?: number;
  /** Wait after the first failure, doubled after each (default 60 s), capped by maxBackoffMs (default 6 h). */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Messages claimed at a time (default 20) and in one drain at most (default 500). */
  readonly batch?: number;
  readonly maxPerDrain?: number;
  readonly now?: () => number;
}

export interface DrainSummary {
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
}

/** The outcome to record for a send result after `attempts` earlier tries. */
export function outcomeOf(result: SendResult, attempts: number, options: DrainOptions = {}): DrainOutcome {
  if (result.status === 'sent') return { status: 'sent', messageId: result.messageId };
  if (result.status === 'skipped') return { status: 'skipped', reason: result.reason };
  const tried = attempts + 1;
  if (result.permanent || tried >= (options.maxAttempts ?? 8)) return { status: 'failed', error: result.error };
  const wait = Math.min((options.baseBackoffMs ?? 60_000) * 2 ** (tried - 1), options.maxBackoffMs ?? 6 * 3600_000);
  return { status: 'retry', error: result.error, notBefore: new Date((options.now ?? Date.now)() + wait) };
}

const COUNT_KEY = { sent: 'sent', skipped: 'skipped', retry: 'retried', failed: 'failed' } as const;

/**
 * Send what the queue has due, one message at a time, and record each outcome with `mark`.
 * Stops when `claim` returns nothing or after maxPerDrain messages; never throws for a send
 * failure (it is marked), only when claim or mark themselves fail.
 */
export async function drainOutbound(
  claim: ClaimOutbound,
  mark: MarkOutbound,
  mailer: ItipMailer,
  options: DrainOptions = {},
): Promise<DrainSummary> {
  const summary: DrainSummary = { sent: 0, skipped: 0, retried: 0, failed: 0 };
  const max = options.maxPerDrain ?? 500;
  let done = 0;
  while (done < max) {
    const items = await claim(Math.min(options.batch ?? 20, max - done));
    if (items.length === 0) break;
    for (const item of items) {
      const outcome = outcomeOf(await mailer.send(item), item.attempts, options);
      await mark(item.id, outcome);
      summary[COUNT_KEY[outcome.status]] += 1;
      done += 1;
    }
  }
  return summary;
}
