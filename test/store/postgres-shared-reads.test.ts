/**
 * Reads outside a transaction on PostgreSQL (issue #20): those sent while a pooled connection is
 * being fetched share it — one connection and one socket write for a request's grants and its
 * target — and each stands alone: one that fails leaves the others, and the connection, as
 * they were (store/postgres/postgres-driver.ts `sharedReads`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPostgres } from '../../src/store/postgres/postgres-driver.js';
import type { SqlDriver } from '../../src/store/sql/driver.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';

const skip = await postgresSkipReason();
const PID = 'SELECT pg_backend_pid() AS pid';

describe('PostgreSQL reads sent together share a pooled connection', { skip }, () => {
  let two: SqlDriver;
  let one: SqlDriver;
  let drop: () => Promise<void>;

  before(async () => {
    const db = await createThrowawayDatabase();
    drop = db.drop;
    two = await openPostgres(db.url, 2);
    one = await openPostgres(db.url, 1);
  });
  after(async () => {
    await two?.close();
    await one?.close();
    await drop?.();
  });

  it('three reads sent in one turn are answered by one database process (a pool of two)', async () => {
    const pids = await Promise.all([1, 2, 3].map(() => two.reader.get<{ pid: number }>(PID)));
    assert.equal(new Set(pids.map((r) => r?.pid)).size, 1, JSON.stringify(pids));
  });

  it('a read that fails beside others fails alone, and the connection stays in the pool', async () => {
    const first = await one.reader.get<{ pid: number }>(PID);
    const [failed, ok, pid] = await Promise.allSettled([
      one.reader.get('SELECT 1 / 0 AS x'),
      one.reader.get<{ x: number }>('SELECT 2 AS x'),
      one.reader.get<{ pid: number }>(PID),
    ]);
    assert.equal(failed.status, 'rejected');
    assert.match(String((failed as PromiseRejectedResult).reason), /division by zero/);
    assert.deepEqual(ok.status === 'fulfilled' ? ok.value : ok.reason, { x: 2 });
    assert.equal(pid.status === 'fulfilled' ? pid.value?.pid : pid.reason, first?.pid);
    // The same process answers the next read: the connection was not closed for a statement's error.
    assert.equal((await one.reader.get<{ pid: number }>(PID))?.pid, first?.pid);
  });

  it('a connection the database cuts under shared reads fails them as unavailable, and the next read takes a new one', async () => {
    const reads = Promise.allSettled([
      two.reader.get('SELECT pg_sleep(5) AS slept, pg_backend_pid() AS pid'),
      two.reader.get<{ pid: number }>(PID),
    ]);
    // From the pool's other connection: end the process running the sleep.
    const ended = await two.transaction([], async (c) => {
      for (let i = 0; i < 100; i++) {
        const row = await c.get<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(5)%' AND state = 'active' AND pid <> pg_backend_pid()",
        );
        if (row) {
          await c.get('SELECT pg_terminate_backend(?) AS ok', [row.pid]);
          return row.pid;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return null;
    });
    assert.ok(ended, 'the sleeping read was found');
    for (const r of await reads) {
      assert.equal(r.status, 'rejected');
      assert.equal(
        (r as PromiseRejectedResult).reason?.code,
        'unavailable',
        String((r as PromiseRejectedResult).reason),
      );
    }
    const next = await two.reader.get<{ pid: number }>(PID);
    assert.ok(next && next.pid !== ended, 'a live connection answers');
  });
});
