import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import pg from 'pg';
import type { SqlConn, SqlDriver, SqlTxConn, SqlValue } from '../sql/driver.js';
import { lockModes, StoreError, type TxLocks } from '../store.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

/** SQLSTATE 40P01: PostgreSQL chose this transaction to break a lock cycle. */
const DEADLOCK_DETECTED = '40P01';

/**
 * Errors meaning the database is out of reach rather than that the statement is wrong: class 08
 * (connection exception), 57P01-57P03 (shut down by an administrator, crash, cannot connect now:
 * a restart or failover), and the socket errors and message node-postgres raises when the
 * connection is refused or cut.
 */
const UNREACHABLE_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

function unreachable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = err instanceof Error ? err.message : '';
  return /^Connection terminated|^timeout exceeded when trying to connect|Client has encountered a connection error/.test(
    message,
  );
}

/** The error a caller acts on: StoreError 'deadlock' or 'unavailable', else the driver's own. */
function storeError(err: unknown): unknown {
  if ((err as { code?: unknown }).code === DEADLOCK_DETECTED) return new StoreError('deadlock', (err as Error).message);
  if (unreachable(err)) return new StoreError('unavailable', (err as Error).message);
  return err;
}

async function translated<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw storeError(err);
  }
}

/** Advisory-lock key that serialises migrations across every node starting at once. */
const MIGRATION_LOCK = 7_306_117;

interface Queryable {
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
  query(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult>;
}

/** One of our statements as PostgreSQL takes it. */
interface PgStatement {
  /** With `$1, $2…` for our `?` (no query of ours has `?` in a literal). */
  readonly text: string;
  /**
   * The name it is prepared under: parsed once per pooled connection, then only bound and
   * executed (issue #20). Writes and reads alike: an unnamed read was parsed and planned again
   * on every request, and planning a calendar query's candidates (a UNION of span classes) took
   * 3.6 ms of the database's time for 0.3 ms of execution — three quarters of PostgreSQL's time
   * in a free-busy run. PostgreSQL plans a named statement for its parameters for its first five
   * executions, then keeps a generic plan only when that is estimated no dearer (plan_cache_mode
   * auto); our statements are key, range and IN-list look-ups on indexed columns, written so
   * that their plan does not hinge on statistics (store/sql/grants.ts). Undefined past
   * MAX_NAMED texts.
   */
  readonly name: string | undefined;
}

/** Most statement texts given a name. Ours come from a bounded set of templates (IN lists are padded to a few lengths). */
const MAX_NAMED = 1_000;
const statements = new Map<string, PgStatement>();

function pgStatement(sql: string): PgStatement {
  let s = statements.get(sql);
  if (s === undefined) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    s = { text, name: statements.size < MAX_NAMED ? `almanac_${statements.size}` : undefined };
    statements.set(sql, s);
  }
  return s;
}

function conn(q: Queryable): SqlConn {
  const config = (sql: string, params: readonly SqlValue[]): pg.QueryConfig => {
    const { text, name } = pgStatement(sql);
    return name !== undefined ? { name, text, values: [...params] } : { text, values: [...params] };
  };
  return {
    dialect: 'postgres',
    rows: async (sql: string, params: readonly SqlValue[] = []) =>
      (await translated(q.query({ ...config(sql, params), rowMode: 'array' }))).rows,
    all: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      (await translated(q.query(config(sql, params)))).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      (await translated(q.query(config(sql, params)))).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await translated(q.query(config(sql, params)))).rowCount ?? 0,
  };
}

/** A stable 32-bit key for pg_advisory_xact_lock. */
function lockKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * A stable 64-bit key for pg_advisory_xact_lock(bigint), as a decimal string (pg takes it as
 * int8): the first 8 bytes of SHA-256, so that keys chosen by clients (event UIDs) do not collide
 * by design. The bigint space is shared with the 32-bit area keys above.
 */
function lockKey64(s: string): string {
  return createHash('sha256').update(s).digest().readBigInt64BE(0).toString();
}

/**
 * BEGIN and the area locks, in key order, as one simple-query message: one round trip instead of
 * one per statement (issue #20: every round trip inside a write is waited for on a busy event
 * loop). The keys are integers this process computed (lockKey), so they are written inline. A
 * key held shared takes `pg_advisory_xact_lock_shared`: it waits only for a holder alone.
 */
function beginAndLock(locks: TxLocks): string {
  const { exclusive, shared } = lockModes(locks);
  const keys = new Map<number, boolean>();
  for (const k of shared) keys.set(lockKey(k), false);
  for (const k of exclusive) keys.set(lockKey(k), true); // a hash shared by both is held alone
  const sorted = [...keys].sort(([a], [b]) => a - b);
  return ['BEGIN', ...sorted.map(([k, alone]) => `SELECT pg_advisory_xact_lock${alone ? '' : '_shared'}(${k})`)].join(
    '; ',
  );
}

/**
 * A client's socket writes held back (Writable.cork) and sent together, so that the database's
 * process is woken once for them rather than once per statement (issue #20: on a two-core machine
 * each write to the loopback socket also woke PostgreSQL's process, about 150 µs of the event
 * loop's time apiece, and a contact PUT made thirteen). node-postgres writes each statement with
 * one system call. Two holds:
 * - `soon`: until the microtasks queued so far have run. A statement whose answer is awaited
 *   leaves with the others its turn sends (a write's checks and reads, sent before any is
 *   awaited), and before the event loop waits for anything.
 * - `hold`: until the next `soon` or, at the latest, the event loop's next check (setImmediate).
 *   A transaction's deferred writes leave with the next statement whose answer is awaited,
 *   COMMIT included: the quota charge, the change feed and COMMIT of a PUT in one write.
 */
function corker(client: pg.PoolClient): { hold(): void; soon(): void } {
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function')
    return { hold: () => undefined, soon: () => undefined };
  const { cork, uncork } = { cork: stream.cork.bind(stream), uncork: stream.uncork.bind(stream) };
  let corked = false;
  let flushQueued = false;
  const flush = (): void => {
    flushQueued = false;
    if (!corked) return;
    corked = false;
    uncork();
  };
  return {
    hold(): void {
      if (corked) return;
      corked = true;
      cork();
      setImmediate(flush);
    },
    soon(): void {
      if (!corked) {
        corked = true;
        cork();
      }
      if (!flushQueued) {
        flushQueued = true;
        queueMicrotask(flush);
      }
    },
  };
}

/**
 * The connection of one transaction, with transaction-scoped locks taken on demand. `begin` (BEGIN
 * and the area locks, one message) is sent with whatever the transaction asks first: when that is
 * a `lock` — a write locks its body's UIDs before its first read — the UID locks go in the same
 * message (issue #20: one round trip less under the home's lock for every object write). A later
 * `lock` sends all its keys in one message. The order of the locks is the same either way: the
 * area keys, then the others in sorted order.
 *
 * Deferred writes (`defer`) are sent at once and not waited for: the pool runs node-postgres in
 * pipeline mode, so a statement goes out behind those still unanswered, and the database answers
 * them in order. So when a later statement's answer arrives, every deferred
 * write before it has been answered too: their outcomes are looked at then (`settled`), and the
 * first failure is the transaction's error, not the "transaction is aborted" of what followed it.
 */
function txConn(client: pg.PoolClient, begin: string): SqlTxConn & { commit(): Promise<void> } {
  const held = new Set<string>();
  let pending: string | null = begin;
  let deferred: Promise<unknown>[] = [];
  const cork = corker(client);
  const queue = (p: Promise<unknown>): void => {
    p.catch(() => undefined); // looked at in `settled`; never an unhandled rejection meanwhile
    deferred.push(p);
  };
  /** BEGIN and the area locks (and the first `lock`'s keys), queued ahead of the first statement. */
  const open = (): void => {
    if (pending === null) return;
    const text = pending;
    pending = null;
    queue(translated(client.query(text)));
  };
  const settled = async (): Promise<void> => {
    if (deferred.length === 0) return;
    const queued = deferred;
    deferred = [];
    await Promise.all(queued); // answered in order: the first to reject is the first that failed
  };
  /** A statement whose answer the caller awaits: sent behind everything queued, which must have succeeded. */
  const statement = async <T>(send: () => Promise<T>): Promise<T> => {
    cork.soon(); // with BEGIN and the locks, and whatever else this turn sends
    open();
    const answer = send();
    try {
      await settled();
    } catch (err) {
      answer.catch(() => undefined); // failed too, as the transaction was aborted before it
      throw err;
    }
    return answer;
  };
  const plain = conn(client);
  return {
    dialect: plain.dialect,
    rows: (sql, params) => statement(() => plain.rows(sql, params)),
    all: <T>(sql: string, params?: readonly SqlValue[]) => statement(() => plain.all<T>(sql, params)),
    get: <T>(sql: string, params?: readonly SqlValue[]) => statement(() => plain.get<T>(sql, params)),
    run: (sql, params) => statement(() => plain.run(sql, params)),
    defer(sql, params) {
      cork.hold();
      open();
      queue(plain.run(sql, params));
    },
    skipLocked: 'FOR UPDATE SKIP LOCKED',
    async commit(): Promise<void> {
      const done = await statement(() => translated(client.query('COMMIT')));
      // PostgreSQL answers COMMIT of a transaction a statement failed in with ROLLBACK.
      if (done.command !== 'COMMIT') throw new StoreError('unavailable', `the transaction ended in ${done.command}`);
    },
    async lock(keys: readonly string[]): Promise<boolean> {
      const fresh = [...new Set(keys.map(lockKey64))].filter((k) => !held.has(k));
      // Sorted like the area keys, so two transactions locking the same keys never deadlock on them.
      fresh.sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0));
      for (const k of fresh) held.add(k);
      if (fresh.length === 0) return false;
      // Decimal integers this process computed (lockKey64): written inline, like the area keys.
      const text = fresh.map((k) => `SELECT pg_advisory_xact_lock(${k}::bigint)`).join('; ');
      if (pending !== null) {
        pending = `${pending}; ${text}`; // in the message that opens the transaction
        await statement(() => Promise.resolve());
      } else await statement(() => translated(client.query(text)));
      return true;
    },
  };
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await client.query('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r: { version: number }) => Number(r.version)));
    for (const m of POSTGRES_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          m.version,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** How often a node measures its clock against the database server's again. */
const CLOCK_CHECK_MS = 60_000;

/**
 * This process's clock's offset to the database server's (Store.now, capabilities/clock.ts):
 * the best of three round trips, the server's time taken as read halfway through the one with
 * the shortest round trip (so the error is under half of it, a millisecond or so on a LAN).
 */
async function measureClockOffset(pool: pg.Pool): Promise<number> {
  let best: { rtt: number; offset: number } | undefined;
  for (let i = 0; i < 3; i++) {
    const sent = Date.now();
    const { rows } = await pool.query<{ ms: number }>(
      'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms',
    );
    const back = Date.now();
    const offset = Number(rows[0]?.ms) - (sent + back) / 2;
    if (!best || back - sent < best.rtt) best = { rtt: back - sent, offset };
  }
  return Math.round(best!.offset);
}

/**
 * Reads outside a transaction that are sent while a pooled connection is being fetched share
 * it: they leave in one socket write (pipeline mode), are answered in order, and hold one
 * connection (issue #20: a request's grants and its target, read together, took two pooled
 * connections at once; in turn they were two round trips). A read sent once the connection is
 * there takes another. Each read stands alone (its own implicit transaction and Sync), so one
 * that fails leaves the others and the connection as they were; a connection the database cut
 * is not handed back to the pool.
 */
function sharedReads(pool: pg.Pool): Queryable {
  let joining: SharedConnection | null = null;
  const open = (): SharedConnection => {
    const shared: SharedConnection = {
      client: translated(pool.connect()).then((client) => {
        // While it is out of the pool its errors are ours to hear (else they would end the process).
        client.on('error', shared.cut);
        return { client, cork: corker(client) };
      }),
      pending: 0,
      broken: undefined,
      cut: (err: Error) => void (shared.broken ??= new StoreError('unavailable', err.message)),
    };
    const close = (): void => void (joining === shared && (joining = null));
    shared.client.then(close, close);
    return shared;
  };
  const query = async (config: pg.QueryConfig): Promise<pg.QueryResult> => {
    const shared = (joining ??= open());
    shared.pending++;
    let client: pg.PoolClient | undefined;
    try {
      const fetched = await shared.client;
      client = fetched.client;
      fetched.cork.soon(); // the reads that join it leave in one socket write
      return await client.query(config);
    } catch (err) {
      if (unreachable(err)) shared.broken ??= err as Error;
      throw err;
    } finally {
      if (--shared.pending === 0 && client) {
        client.off('error', shared.cut);
        client.release(shared.broken);
      }
    }
  };
  return { query } as Queryable;
}

/** A pooled connection that reads sent in one moment share (`sharedReads`). */
interface SharedConnection {
  /** The connection, and its socket's writes held back for the reads that join it. */
  readonly client: Promise<{ readonly client: pg.PoolClient; readonly cork: ReturnType<typeof corker> }>;
  /** Reads sent on it and not yet answered. */
  pending: number;
  /** Set when the database cut it: released as broken. */
  broken: Error | undefined;
  readonly cut: (err: Error) => void;
}

/**
 * PostgreSQL through a pool. A transaction takes a transaction-scoped advisory lock per lock key
 * (in sorted order, so two transactions never deadlock on them), which serialises writers to the
 * same home across every Almanac node sharing the database.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<SqlDriver> {
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  };
  // connectionTimeoutMillis: a database that does not answer (failing over) fails the request
  // with 503 after this long instead of holding it. It also bounds the wait for a free pooled
  // connection, so it is long enough for a busy node's queue. pipeline: a statement is sent at
  // once, behind those still unanswered (a transaction's deferred writes, txConn), instead of
  // after their answers (issue #20).
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 15_000,
    types: types as pg.CustomTypesConfig,
    pipeline: true,
  });
  pool.on('error', () => undefined); // an idle client's error; the next query reports its own
  await migrate(pool);
  let offset = await measureClockOffset(pool);
  const clockCheck = setInterval(() => {
    measureClockOffset(pool).then(
      (o) => void (offset = o),
      () => undefined, // the database is away; keep the last offset
    );
  }, CLOCK_CHECK_MS);
  clockCheck.unref();
  return {
    reader: conn(sharedReads(pool)),
    clockOffsetMs: () => offset,
    async transaction<T>(locks: TxLocks, fn: (c: SqlTxConn) => Promise<T>): Promise<T> {
      const client = await translated(pool.connect());
      let broken: Error | undefined;
      // The database may cut the connection between two statements (a restart): node-postgres
      // then emits 'error' on the client, which would end the process unheard. Note it; the next
      // statement fails and the transaction answers 'unavailable'.
      const cut = (err: Error): void => void (broken = new StoreError('unavailable', err.message));
      client.on('error', cut);
      try {
        const tx = txConn(client, beginAndLock(locks));
        const result = await fn(tx);
        // One that sent nothing still takes its area locks, as every transaction does.
        await tx.commit();
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        const e = storeError(err);
        // A connection the database cut is not handed to the next transaction.
        if (e instanceof StoreError && e.code === 'unavailable') broken = e;
        throw e;
      } finally {
        client.off('error', cut);
        client.release(broken);
      }
    },
    close: () => {
      clearInterval(clockCheck);
      return pool.end();
    },
  };
}
