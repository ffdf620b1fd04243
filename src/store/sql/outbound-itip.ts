import type { NewOutboundItip, OutboundItip, OutboundItipResult } from '../types.js';
import type { SqlConn } from './driver.js';

interface ItipRow {
  id: number | string;
  recipient: string;
  method: string;
  ics_text: string;
  organizer: string;
  sender_user_id: number | string;
  created_at: number | string;
  state: string;
  attempts: number | string;
  next_attempt_at: number | string;
  last_error: string | null;
}

interface ClaimRequest {
  readonly holder: string;
  readonly now: number;
  readonly until: number;
  readonly limit: number;
}

const COLUMNS =
  'id, recipient, method, ics_text, organizer, sender_user_id, created_at, state, attempts, next_attempt_at, last_error';

function toItip(r: ItipRow): OutboundItip {
  return {
    id: Number(r.id),
    recipient: r.recipient,
    method: r.method,
    icsText: r.ics_text,
    organizer: r.organizer,
    senderUserId: Number(r.sender_user_id),
    createdAt: Number(r.created_at),
    state: r.state as OutboundItip['state'],
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
  };
}

/** The outbound_itip queries (migration 11), shared by both dialects. */
export const OUTBOUND_ITIP = {
  async pending(db: SqlConn, limit: number): Promise<OutboundItip[]> {
    const rows = await db.all<ItipRow>(
      `SELECT ${COLUMNS} FROM outbound_itip WHERE state = 'pending' ORDER BY id LIMIT ?`,
      [limit],
    );
    return rows.map(toItip);
  },

  async get(db: SqlConn, id: number): Promise<OutboundItip | null> {
    const r = await db.get<ItipRow>(`SELECT ${COLUMNS} FROM outbound_itip WHERE id = ?`, [id]);
    return r ? toItip(r) : null;
  },

  async enqueue(db: SqlConn, m: NewOutboundItip): Promise<number> {
    const r = await db.get<{ id: number | string }>(
      `INSERT INTO outbound_itip (recipient, method, ics_text, organizer, sender_user_id, created_at, state, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?) RETURNING id`,
      [m.recipient, m.method, m.icsText, m.organizer, m.senderUserId, m.createdAt, m.createdAt],
    );
    return Number(r?.id);
  },

  /**
   * Lease due messages to a holder. The due rows are chosen once, in a materialised CTE (a
   * subquery under `IN` may be scanned again and then hand over more rows than the limit). On
   * PostgreSQL its `FOR UPDATE SKIP LOCKED` passes over rows another node's open claim holds,
   * so concurrent claims take disjoint messages without waiting for each other; the outer WHERE
   * repeats the lease test. SQLite runs one claim at a time.
   */
  async claim(db: SqlConn, skipLocked: string, c: ClaimRequest): Promise<OutboundItip[]> {
    const free = `state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)`;
    const rows = await db.all<ItipRow>(
      `WITH due AS MATERIALIZED (SELECT id FROM outbound_itip WHERE ${free} ORDER BY id LIMIT ? ${skipLocked})
       UPDATE outbound_itip SET lease_holder = ?, lease_until = ?, attempts = attempts + 1
       WHERE id IN (SELECT id FROM due) AND ${free} RETURNING ${COLUMNS}`,
      [c.now, c.now, c.limit, c.holder, c.until, c.now, c.now],
    );
    return rows.map(toItip).sort((a, b) => a.id - b.id);
  },

  async mark(db: SqlConn, id: number, result: OutboundItipResult, now: number): Promise<void> {
    if (result.ok) {
      await db.run(
        `UPDATE outbound_itip SET state = 'sent', done_at = ?, last_error = NULL, lease_holder = NULL, lease_until = NULL WHERE id = ?`,
        [now, id],
      );
    } else if (result.retryAt === null) {
      await db.run(
        `UPDATE outbound_itip SET state = 'failed', done_at = ?, last_error = ?, lease_holder = NULL, lease_until = NULL WHERE id = ?`,
        [now, result.error, id],
      );
    } else {
      await db.run(
        'UPDATE outbound_itip SET next_attempt_at = ?, last_error = ?, lease_holder = NULL, lease_until = NULL WHERE id = ?',
        [result.retryAt, result.error, id],
      );
    }
  },
};
