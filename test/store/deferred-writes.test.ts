/**
 * Deferred writes of a transaction (SqlTxConn.defer, issue #20): a write nothing waits for runs
 * in order with the statements around it, and when it fails, the transaction fails with its
 * error — at the next statement or at the commit — and nothing of the transaction is kept. On
 * PostgreSQL the deferred statement is sent at once, in pipeline mode, behind the statements still
 * unanswered; the database then reports "current transaction is aborted" for whatever followed
 * it, and that must not hide the cause. Run on both drivers, against real databases.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgres } from '../../src/store/postgres/postgres-driver.js';
import type { SqlDriver } from '../../src/store/sql/driver.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-driver.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';

const skipPostgres = await postgresSkipReason();
const INSERT = 'INSERT INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, NULL)';
const READ = 'SELECT value FROM kv WHERE namespace = ? AND key = ?';

/** A value NOT NULL refuses: the deferred write that fails. */
const failing = (key: string): [string, (string | null)[]] => [INSERT, ['t', key, null]];

function cases(driver: () => SqlDriver): void {
  it('a deferred write is seen by the statements after it, and commits with the transaction', async () => {
    const seen = await driver().transaction(['/t'], async (c) => {
      c.defer(INSERT, ['t', 'a', 'one']);
      c.defer('UPDATE kv SET value = ? WHERE namespace = ? AND key = ?', ['two', 't', 'a']);
      return c.get<{ value: string }>(READ, ['t', 'a']);
    });
    assert.equal(seen?.value, 'two');
    assert.equal((await driver().reader.get<{ value: string }>(READ, ['t', 'a']))?.value, 'two');
  });

  it("a failed deferred write fails the next statement with its own error, not the aborted transaction's", async () => {
    await assert.rejects(
      driver().transaction(['/t'], async (c) => {
        c.defer(INSERT, ['t', 'b', 'kept?']);
        c.defer(...failing('c')); // SQLite runs it at once and throws here
        await c.get(READ, ['t', 'b']);
      }),
      (err: Error) => /null/i.test(err.message) && !/aborted/i.test(err.message),
    );
    assert.equal(await driver().reader.get(READ, ['t', 'b']), undefined, 'nothing of the transaction is kept');
  });

  it('a failed deferred write as the last statement fails the commit, and nothing is kept', async () => {
    await assert.rejects(
      driver().transaction(['/t'], async (c) => {
        c.defer(INSERT, ['t', 'd', 'kept?']);
        await c.get(READ, ['t', 'd']);
        c.defer(...failing('e'));
      }),
      /null/i,
    );
    assert.equal(await driver().reader.get(READ, ['t', 'd']), undefined);
    // The connection goes back to the pool in a usable state.
    await driver().transaction(['/t'], async (c) => c.defer(INSERT, ['t', 'f', 'after']));
    assert.equal((await driver().reader.get<{ value: string }>(READ, ['t', 'f']))?.value, 'after');
  });
}

describe('deferred writes: SQLite', () => {
  let dir: string;
  let driver: SqlDriver;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-deferred-'));
    driver = openSqlite(join(dir, 'a.sqlite'));
  });
  after(async () => {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });
  cases(() => driver);
});

describe('deferred writes: PostgreSQL (pipeline mode)', { skip: skipPostgres }, () => {
  let driver: SqlDriver;
  let drop: () => Promise<void>;
  before(async () => {
    const db = await createThrowawayDatabase();
    drop = db.drop;
    driver = await openPostgres(db.url, 2);
  });
  after(async () => {
    await driver?.close();
    await drop?.();
  });
  cases(() => driver);
});
