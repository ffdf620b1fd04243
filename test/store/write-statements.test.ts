/**
 * How many statements one object write runs inside its transaction (issue #20): on PostgreSQL
 * each is a round trip awaited while the home's lock is held, so the count is the write's cost.
 * A replacing PUT of a calendar object through the one write path (domain writeObject) was 24
 * statements; a transaction now keeps the resource rows it read until it writes
 * (store/sql/tx-read-memo.ts), bumps a collection and its ancestors in one UPDATE, reads the
 * locks of a member and its parent in one query, and locks the body's UID before its first read.
 * Counted on a real SQLite store through its driver.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeAsDav } from '../helpers/write-as-dav.js';
import { importBatch } from '../../src/cli/import-object.js';
import type { SqlDriver, SqlTxConn } from '../../src/store/sql/driver.js';
import { SqlStore } from '../../src/store/sql/sql-store.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-driver.js';

const CAL = '/calendars/alice/default';
const BOOK = '/addressbooks/alice/default';
const event = (summary: string): Uint8Array =>
  new TextEncoder().encode(
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:one\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nDURATION:PT1H\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  );

/** The driver, with every statement of its transactions written down. */
function counting(driver: SqlDriver, log: string[]): SqlDriver {
  const wrap = (c: SqlTxConn): SqlTxConn => ({
    dialect: c.dialect,
    skipLocked: c.skipLocked,
    lock: (keys) => (log.push('lock'), c.lock(keys)),
    get: (sql, params) => (log.push(sql), c.get(sql, params)),
    all: (sql, params) => (log.push(sql), c.all(sql, params)),
    rows: (sql, params) => (log.push(sql), c.rows(sql, params)),
    run: (sql, params) => (log.push(sql), c.run(sql, params)),
    defer: (sql, params) => (log.push(sql), c.defer(sql, params)),
  });
  return {
    reader: driver.reader,
    transaction: (keys, fn) => driver.transaction(keys, (c) => fn(wrap(c))),
    close: () => driver.close(),
  };
}

let dir: string;
let store: SqlStore;
const log: string[] = [];
let alice: { id: number; name: string };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'almanac-write-statements-'));
  store = new SqlStore(counting(openSqlite(join(dir, 'almanac.sqlite')), log));
  alice = await store.transaction([], async (tx) => {
    const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
    await tx.createCollection('/calendars/alice', { ownerId: u.id, home: true });
    await tx.createCollection(CAL, { ownerId: u.id, collectionType: 'calendar' });
    await tx.createCollection('/addressbooks/alice', { ownerId: u.id, home: true });
    await tx.createCollection(BOOK, { ownerId: u.id, collectionType: 'addressbook' });
    return { id: u.id, name: u.name };
  });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const put = (summary: string) => writeAsDav(store, alice, `${CAL}/one.ics`, event(summary));

describe('statements of one write (issue #20; RFC 4791 §5.3.2 PUT through the one write path)', () => {
  it('a replacing PUT of a calendar object runs at most 15 statements and reads its target and parent once, together', async () => {
    await put('first');
    log.length = 0;
    const r = await put('second');
    assert.equal(r.created, false);
    const byPath = log.filter((s) => /FROM resources WHERE path (= \?|IN \(\?, \?\))$/.test(s));
    // Lock calls are not counted: SQLite's are no-ops, PostgreSQL's a round trip only for a key not held yet.
    const statements = log.filter((s) => s !== 'lock');
    assert.ok(statements.length <= 15, `${statements.length} statements:\n${log.join('\n')}`);
    assert.deepEqual(
      byPath.map((s) => s.replace(/^.* WHERE /, '')),
      ['path IN (?, ?)'],
      `the target and its parent, together, once:\n${log.join('\n')}`,
    );
  });

  it('an import batch (its feed held for the end): after the first object, each reads neither its calendar nor its properties again, and the feed is bumped once', async () => {
    const items = ['i1', 'i2', 'i3'].map((uid) => ({
      path: `${CAL}/${uid}.ics`,
      body: new TextEncoder().encode(
        `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
      ),
      contentType: 'text/calendar',
    }));
    log.length = 0;
    assert.deepEqual(await importBatch(store, '/calendars/alice', alice, items), [null, null, null]);
    const count = (re: RegExp) => log.filter((s) => re.test(s)).length;
    assert.equal(
      count(/FROM resources WHERE path IN \(\?, \?\)$/),
      1,
      `the target and its calendar, once:\n${log.join('\n')}`,
    );
    assert.equal(count(/FROM resources WHERE path = \?$/), 2, 'then each target alone');
    assert.equal(count(/FROM properties WHERE resource_id = \?/), 1, "the calendar's properties, once");
    assert.equal(count(/^UPDATE resources SET sync_seq/), 1, 'one bump of the feed');
    assert.equal(count(/^INSERT INTO resources/), 3);
  });

  it("a contact's search entries (RFC 6352 §8.6 index) are written by one INSERT, not one each", async () => {
    const card = new TextEncoder().encode(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nNICKNAME:Ada\r\n' +
        'EMAIL:ada@example.com\r\nEMAIL:countess@example.org\r\nTEL:+44 1\r\nORG:Analytical\r\nEND:VCARD\r\n',
    );
    log.length = 0;
    const r = await writeAsDav(store, alice, `${BOOK}/c1.vcf`, card, 'text/vcard');
    assert.equal(r.created, true);
    const inserts = log.filter((s) => s.startsWith('INSERT INTO card_index'));
    assert.equal(inserts.length, 1, log.join('\n'));
    assert.ok((await store.getSearchEntries(r.resource.id)).length >= 7, 'every entry written');
  });
});
