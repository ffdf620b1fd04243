/**
 * Round trips on PostgreSQL (issue #20). Those of one object write are awaited while the home's
 * advisory lock is held, so they are a write's cost there; a request's grants are read before
 * every authenticated request is answered. A PUT locks its body's UID
 * (RFC 6638 scheduling object, domain/scheduling/uid-lock.ts) before its first read; that lock
 * goes in the message that opens the transaction (BEGIN and the area locks), not in a round
 * trip of its own. Counted on node-postgres's client against a throwaway database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Socket } from 'node:net';
import pg from 'pg';
import { writeAsDav } from '../helpers/write-as-dav.js';
import { LocalBus } from '../../src/push/bus.js';
import { notifyingStore } from '../../src/push/notifying-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/store.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';

const skip = await postgresSkipReason();
const CAL = '/calendars/alice/default';
const event = new TextEncoder().encode(
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:round-trips\r\nDTSTAMP:20240101T000000Z\r\n' +
    'DTSTART:20240102T100000Z\r\nDURATION:PT1H\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
);

/** Another event, `extra` lines added. */
function otherEvent(uid: string, extra = 'SUMMARY:x'): Uint8Array {
  return new TextEncoder().encode(
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\n` +
      `DTSTART:20240103T100000Z\r\nDURATION:PT1H\r\n${extra}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  );
}

describe('PostgreSQL round trips (issue #20)', { skip }, () => {
  let store: Store;
  let drop: () => Promise<void>;
  let alice: { id: number; name: string };

  before(async () => {
    const db = await createThrowawayDatabase();
    drop = db.drop;
    store = await openPostgresStore(db.url);
    alice = await store.transaction(['/calendars/alice'], async (tx) => {
      const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
      await tx.createCollection('/calendars/alice', { ownerId: u.id, home: true });
      await tx.createCollection(CAL, { ownerId: u.id, collectionType: 'calendar' });
      return { id: u.id, name: u.name };
    });
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  it('a PUT sends BEGIN, the area lock (shared), the member lock and the UID lock as one message', async () => {
    const { sent, result: r } = await statementsOf(() => writeAsDav(store, alice, `${CAL}/one.ics`, event));
    assert.equal(r.created, true);
    const opening = sent.filter((t) => t.startsWith('BEGIN'));
    assert.equal(opening.length, 1, sent.join('\n'));
    const locks = opening[0]!.split('; ');
    assert.equal(locks.shift(), 'BEGIN');
    assert.match(locks.pop()!, /^SELECT pg_advisory_xact_lock\(-?\d+::bigint\)$/, 'the UID lock, last');
    // The area and member keys in key order: the one shared (the area) and the one alone (the member).
    assert.deepEqual(
      locks
        .map((l) => {
          const m = /^SELECT pg_advisory_xact_lock(_shared)?\(-?\d+\)$/.exec(l);
          return m ? (m[1] ?? 'alone') : l;
        })
        .sort(),
      ['_shared', 'alone'],
      opening[0],
    );
    assert.deepEqual(
      sent.filter((t) => t.includes('pg_advisory_xact_lock($1')),
      [],
      'no lock in a round trip of its own',
    );
  });

  it("a growing PUT reads its owner's quota (their row and the server default) in one statement", async () => {
    const { sent } = await statementsOf(() => writeAsDav(store, alice, `${CAL}/two.ics`, otherEvent('two')));
    assert.deepEqual(
      sent.filter((t) => /FROM users/.test(t)),
      [sent.find((t) => /FROM users u WHERE u\.id/.test(t) && /FROM kv/.test(t))],
      sent.join('\n'),
    );
    assert.equal(sent.filter((t) => /^SELECT value FROM kv/.test(t)).length, 0, 'no read of the default of its own');
  });

  it('replacing a calendar object sends no statement for card search entries', async () => {
    const { sent, result } = await statementsOf(() =>
      writeAsDav(store, alice, `${CAL}/two.ics`, otherEvent('two', 'SUMMARY:changed')),
    );
    assert.equal(result.created, false);
    assert.deepEqual(
      sent.filter((t) => t.includes('card_index')),
      [],
    );
  });

  it('from the quota charge on, a PUT awaits no answer before its COMMIT: the rows every write holds are held for no round trip', async () => {
    const { sent, answeredAt } = await statementsOf(() =>
      writeAsDav(store, alice, `${CAL}/three.ics`, otherEvent('three')),
    );
    const charge = sent.findIndex((t) => t.startsWith('UPDATE users SET quota_used'));
    const feed = sent.findIndex((t) => t.includes('INSERT INTO changes'));
    const commit = sent.indexOf('COMMIT');
    assert.ok(charge >= 0 && feed > charge && commit > feed, sent.join('\n'));
    // The change feed (bump, rows, cut-back) is one statement (store/sql/change-feed.ts).
    assert.equal(sent.filter((t) => /UPDATE resources SET sync_seq/.test(t)).length, 1, sent.join('\n'));
    for (let i = charge; i < commit; i++)
      assert.ok(answeredAt[i] === undefined || answeredAt[i]! > commit, `awaited before COMMIT: ${sent[i]}`);
  });

  it("a member's DELETE (RFC 4918 §9.6) sends its rows' deletes, the quota's release, the change feed and COMMIT together: no answer awaited between them", async () => {
    await writeAsDav(store, alice, `${CAL}/gone.ics`, otherEvent('gone'));
    const { sent, answeredAt } = await statementsOf(() =>
      store.transaction([CAL], (tx) => tx.deleteResource(`${CAL}/gone.ics`)),
    );
    const list = listed(sent, answeredAt);
    const first = sent.findIndex((t) => t.startsWith('DELETE FROM'));
    const charge = sent.findIndex((t) => t.startsWith('UPDATE users SET quota_used'));
    const commit = sent.indexOf('COMMIT');
    assert.ok(first >= 0 && charge > first && commit > charge, list);
    assert.ok(
      sent.some((t) => t === 'DELETE FROM resources WHERE id = $1'),
      list,
    );
    for (let i = first; i < commit; i++)
      assert.ok(answeredAt[i] === undefined || answeredAt[i]! > commit, `awaited before COMMIT: ${sent[i]}\n${list}`);
    // An object is no collection: nothing asks for shares of it or for members below it.
    assert.ok(
      !sent.some((t) => /FROM shares s .*WHERE s\.collection_id|path >= \$1 AND path < \$2 ORDER BY path/s.test(t)),
      list,
    );
    assert.equal(await store.getResource(`${CAL}/gone.ics`), null);
  });

  it('replacing a calendar object drops its Schedule-Tag (RFC 6638 §3.2.10) without waiting for the database: the kv delete is deferred', async () => {
    await writeAsDav(store, alice, `${CAL}/tagged.ics`, otherEvent('tagged'));
    const { sent, answeredAt } = await statementsOf(() =>
      writeAsDav(store, alice, `${CAL}/tagged.ics`, otherEvent('tagged', 'SUMMARY:again')),
    );
    const list = listed(sent, answeredAt);
    const drop = sent.findIndex((t) => t.startsWith('DELETE FROM kv'));
    assert.ok(drop >= 0, list);
    assert.ok(answeredAt[drop] === undefined || answeredAt[drop]! > drop + 1, `awaited: ${sent[drop]}\n${list}`);
  });

  it("RFC 4918 §9.2 PROPPATCH: the properties' writes and the metadata bump are not waited for; the collection's row is read with the quota's reads", async () => {
    const cal = await store.getResource(CAL);
    assert.ok(cal);
    const name = '{DAV:}displayname';
    const { sent, answeredAt } = await statementsOf(() =>
      store.transaction([CAL], (tx) =>
        tx.patchProperties(cal.id, [{ name, xml: '<D:displayname xmlns:D="DAV:">Renamed</D:displayname>' }], []),
      ),
    );
    const list = listed(sent, answeredAt);
    const writes = sent.flatMap((t, i) =>
      /^(INSERT INTO properties|UPDATE resources SET meta_seq)/.test(t) ? [i] : [],
    );
    assert.equal(writes.length, 2, list);
    for (const i of writes)
      assert.ok(answeredAt[i] === undefined || answeredAt[i]! > i + 1, `awaited: ${sent[i]}\n${list}`);
    const kind = sent.findIndex((t) => t.startsWith('SELECT is_collection, parent_id, path'));
    assert.ok(kind >= 0 && kind < writes[0]!, list);
    assert.equal(
      (await store.getPropertiesOf([cal.id]))
        .get(cal.id)
        ?.find((p) => p.name === name)
        ?.xml.includes('Renamed'),
      true,
    );
  });

  it("through the server's notifying store too: its push job's look-up goes before the quota charge, not between it and COMMIT", async () => {
    // The server wraps the store (push/notifying-store.ts), which queues a write's push jobs in
    // its transaction; their look-up was sent after the write's last statement and awaited,
    // holding the collection's and the owner's rows for a round trip and a turn of the loop.
    const notifying = notifyingStore(store, new LocalBus());
    const { sent, answeredAt } = await statementsOf(() =>
      writeAsDav(notifying, alice, `${CAL}/notified.ics`, otherEvent('notified')),
    );
    const lookup = sent.findIndex((t) => t.includes('FROM push_registrations'));
    const charge = sent.findIndex((t) => t.startsWith('UPDATE users SET quota_used'));
    const commit = sent.indexOf('COMMIT');
    const list = listed(sent, answeredAt);
    assert.ok(lookup >= 0 && lookup < charge && charge < commit, list);
    for (let i = charge; i < commit; i++)
      assert.ok(answeredAt[i] === undefined || answeredAt[i]! > commit, `awaited before COMMIT: ${sent[i]}\n${list}`);
  });

  it('the statements a transaction sends in one turn leave in one socket write: the quota charge, the change feed and COMMIT', async () => {
    const { sent, writesAt } = await statementsOf(() =>
      writeAsDav(store, alice, `${CAL}/four.ics`, otherEvent('four')),
    );
    const charge = sent.findIndex((t) => t.startsWith('UPDATE users SET quota_used'));
    const commit = sent.indexOf('COMMIT');
    assert.equal(commit - charge, 2, sent.join('\n'));
    const list = listed(sent, writesAt);
    assert.equal(writesAt[commit], writesAt[charge], `no socket write between the quota charge and COMMIT:\n${list}`);
  });

  it("statements sent in one turn leave in one socket write, awaited or not: the quota's read with the calendar's settings, the sharees' with the row's write", async () => {
    // Each write to the loopback socket woke the database's process (issue #20); statements
    // whose answers are awaited went out one write each, even when sent before any was awaited.
    const { sent, writesAt } = await statementsOf(() =>
      writeAsDav(store, alice, `${CAL}/together.ics`, otherEvent('together')),
    );
    const at = (re: RegExp): number | undefined => writesAt[sent.findIndex((t) => re.test(t))];
    const list = listed(sent, writesAt);
    assert.ok(at(/FROM users u WHERE u\.id/) !== undefined && at(/^INSERT INTO resources/) !== undefined, list);
    assert.equal(at(/FROM users u WHERE u\.id/), at(/FROM properties/), list);
    assert.equal(at(/FROM shares/), at(/^INSERT INTO resources/), list);
  });

  it("a new event's PUT waits for the database 6 times in its transaction: the checks' and the prepare's reads go together, the sharees' with the row's write", async () => {
    const { sent, answeredAt } = await statementsOf(() =>
      writeAsDav(store, alice, `${CAL}/rounds.ics`, otherEvent('rounds')),
    );
    const begin = sent.findIndex((t) => t.startsWith('BEGIN'));
    const commit = sent.indexOf('COMMIT');
    // A statement's answer is waited for when the next statement leaves only after it came:
    // the answers that came at one point (answeredAt) are one wait, one round trip.
    const waits = new Set(answeredAt.slice(begin, commit + 1));
    const list = listed(sent, answeredAt);
    assert.equal(waits.size, 6, list); // 9 before: BEGIN, target, locks, settings, UID, quota, row, sharees, COMMIT
    const together = (a: RegExp, b: RegExp): boolean =>
      answeredAt[sent.findIndex((t) => a.test(t))] === answeredAt[sent.findIndex((t) => b.test(t))];
    assert.ok(together(/FROM locks/, /FROM users u WHERE u\.id/), `the lock check and the quota:\n${list}`);
    assert.ok(together(/FROM locks/, /FROM properties/), `the lock check and the calendar's settings:\n${list}`);
    assert.ok(together(/FROM shares/, /^INSERT INTO resources/), `the sharees and the row:\n${list}`);
  });

  it("replacing an event waits for the database as often as creating one: the replaced body (scheduling, RFC 6638 §3.2) and its per-user data go with the prepare's reads", async () => {
    await writeAsDav(store, alice, `${CAL}/replaced.ics`, otherEvent('replaced'));
    const { sent, answeredAt } = await statementsOf(() =>
      writeAsDav(store, alice, `${CAL}/replaced.ics`, otherEvent('replaced', 'SUMMARY:changed')),
    );
    const begin = sent.findIndex((t) => t.startsWith('BEGIN'));
    const commit = sent.indexOf('COMMIT');
    const waits = new Set(answeredAt.slice(begin, commit + 1));
    const list = listed(sent, answeredAt);
    assert.equal(waits.size, 6, list); // 8 before: the replaced body, then its per-user data, each a wait of its own
    // Both are sent before the lock check is answered (in its socket write or the next).
    const sentBefore = (read: RegExp, answer: RegExp): boolean =>
      sent.findIndex((t) => read.test(t)) < answeredAt[sent.findIndex((t) => answer.test(t))]!;
    assert.ok(sentBefore(/^SELECT id, body FROM resources/, /FROM locks/), `the replaced body:\n${list}`);
    assert.ok(sentBefore(/FROM per_user_data/, /FROM locks/), `the per-user data:\n${list}`);
  });

  it('RFC 4918 §7: a PUT to a locked member is refused before its body is judged, and nothing of it reads after its ROLLBACK', async () => {
    const path = `${CAL}/locked.ics`;
    const now = Date.now();
    await store.transaction([CAL], (tx) =>
      tx.createLock({
        token: 'opaquelocktoken:round-trips',
        path,
        depth: 0,
        scope: 'exclusive',
        ownerXml: null,
        principalId: alice.id + 1000, // another principal's lock: alice holds no token of it
        timeoutSeconds: 60,
        expiresAt: now + 60_000,
        createdAt: now,
      }),
    );
    const refusalOf = async (body: Uint8Array): Promise<{ code: string; sent: string[] }> => {
      const { sent, result } = await statementsOf(async () => {
        try {
          await writeAsDav(store, alice, path, body);
          return 'written';
        } catch (err) {
          return (err as { refusal?: { code: string } }).refusal?.code ?? String(err);
        }
      });
      await new Promise((r) => setTimeout(r, 100)); // what a prepare still running would send meanwhile
      return { code: result, sent };
    };
    const valid = await refusalOf(otherEvent('locked'));
    assert.equal(valid.code, 'locked');
    assert.equal(valid.sent.at(-1), 'ROLLBACK', valid.sent.join('\n'));
    const invalid = await refusalOf(new TextEncoder().encode('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'));
    assert.equal(invalid.code, 'locked', 'the lock is judged before the body');
    assert.equal(invalid.sent.at(-1), 'ROLLBACK', invalid.sent.join('\n'));
    await store.transaction([CAL], (tx) => tx.deleteLock('opaquelocktoken:round-trips'));
  });

  it('reads outside a transaction are prepared statements too (parsed and planned once per connection)', async () => {
    const { sent, named } = await statementsOf(async () => {
      await store.grantsFor(alice.id);
      await store.getResource(`${CAL}/two.ics`);
      await store.grantsFor(alice.id);
    });
    assert.equal(sent.length, 3, sent.join('\n'));
    assert.ok(
      named.every((n) => n !== null),
      `unnamed: ${sent.filter((_, i) => named[i] === null).join('\n')}`,
    );
    assert.equal(named[0], named[2], 'the same statement, the same name');
  });

  it('the grants of a user (stored ACEs and accepted shares) are one statement', async () => {
    const { sent, result } = await statementsOf(() => store.grantsFor(alice.id));
    assert.deepEqual(result, []);
    assert.equal(sent.length, 1, sent.join('\n'));
  });
});

/** The statements node-postgres sends while `fn` runs (`named`: the prepared-statement name of each, if any). */

describe('PostgreSQL round trips of a DAV request (issue #20)', { skip }, () => {
  let server: TestServer;
  let drop: () => Promise<void>;
  const EVENT = '/dav/calendars/alice/default/early.ics';

  before(async () => {
    const db = await createThrowawayDatabase();
    drop = db.drop;
    server = await startTestServer({ store: await openPostgresStore(db.url) });
    const put = await davFetch(server.url, 'alice')(EVENT, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: new TextDecoder().decode(otherEvent('early')),
    });
    assert.equal(put.status, 201);
  });
  after(async () => {
    await server?.close();
    await drop?.();
  });

  /**
   * The statements of one request as `user` (its reads outside a transaction share a pooled
   * connection while it is fetched: postgres-driver.ts `sharedReads`): where the grants' read is,
   * the reads of resources by path, and per statement how many had been sent when its answer came.
   */
  async function requestAs(
    user: string,
    path: string,
    init: Parameters<ReturnType<typeof davFetch>>[1] = {},
  ): Promise<{
    grants: number;
    byPath: number[];
    list: string;
    sent: string[];
    answeredAt: (number | undefined)[];
    status: number;
  }> {
    const sent: string[] = [];
    const answeredAt: (number | undefined)[] = [];
    const restore = traceQueries(pg.Client.prototype, sent, answeredAt);
    let status: number;
    try {
      status = (await davFetch(server.url, user)(path, init)).status;
    } finally {
      restore();
    }
    const grants = sent.findIndex((t) => t.includes('FROM aces'));
    const byPath = sent.flatMap((t, i) => (/^SELECT id, path,.* FROM resources WHERE path = \$1$/s.test(t) ? [i] : []));
    return { grants, byPath, list: listed(sent, answeredAt), sent, answeredAt, status };
  }

  it("in the user's own area the target is read beside the grants: sent before their answer comes", async () => {
    const { grants, byPath, list, answeredAt, status } = await requestAs('alice', EVENT);
    assert.equal(status, 200);
    assert.ok(grants >= 0 && byPath.length >= 1, list);
    assert.ok(byPath[0]! > grants && answeredAt[grants]! > byPath[0]!, `the target waited for the grants:\n${list}`);
  });

  it('a GET of a calendar object reads its body, its calendar and its Schedule-Tag (RFC 6638 §3.2.10) together: each sent before any is answered', async () => {
    const { sent, list, answeredAt, status } = await requestAs('alice', EVENT);
    assert.equal(status, 200);
    const reads = [
      sent.findIndex((t) => t.startsWith('SELECT body FROM resources')),
      sent.findIndex((t) => / FROM resources WHERE id = \$1$/.test(t)),
      sent.findIndex((t) => t.includes('FROM kv')),
    ];
    assert.ok(
      reads.every((i) => i >= 0),
      list,
    );
    const lastSent = Math.max(...reads);
    for (const i of reads) assert.ok(answeredAt[i]! > lastSent, `one waited for another:\n${list}`);
  });

  it("caldav-sharing §5.2.1: a home's listing asks whether its calendars are shared in one statement, not two per calendar", async () => {
    const alice = davFetch(server.url, 'alice');
    for (const name of ['one', 'two', 'three', 'four'])
      assert.equal((await alice(`/dav/calendars/alice/${name}/`, { method: 'MKCALENDAR' })).status, 201);
    const { sent, list, status } = await requestAs('alice', '/dav/calendars/alice/', {
      method: 'PROPFIND',
      headers: { Depth: '1' },
      body: '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>',
    });
    assert.equal(status, 207);
    const sharesRead = sent.filter((t) => /FROM (group_)?shares/.test(t) && /collection_id (=|IN)/.test(t));
    assert.equal(sharesRead.length, 1, list);
    assert.match(sharesRead[0]!, /collection_id IN/, list);
  });

  it("RFC 4918 §9.6 DELETE of an event: its row with its calendar's, and its text (RFC 6638 §3.2.8) with the lock checks, each sent before the other's answer", async () => {
    const alice = davFetch(server.url, 'alice');
    const path = '/dav/calendars/alice/default/deleted.ics';
    const body = new TextDecoder().decode(otherEvent('deleted'));
    const put = await alice(path, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body });
    assert.equal(put.status, 201);
    const { sent, list, answeredAt, status } = await requestAs('alice', path, { method: 'DELETE' });
    assert.equal(status, 204);
    const begin = sent.findIndex((t) => t.startsWith('BEGIN'));
    const after = (re: RegExp): number => sent.findIndex((t, i) => i > begin && re.test(t));
    const lockChecks = sent.flatMap((t, i) => (t.startsWith('SELECT * FROM locks') ? [i] : []));
    const text = after(/^SELECT id, body FROM resources/);
    assert.equal(lockChecks.length, 2, list);
    assert.ok(text > begin, list);
    for (const i of [...lockChecks, text])
      for (const j of [...lockChecks, text]) assert.ok(i === j || answeredAt[j]! > i, `${sent[i]} waited:\n${list}`);
    // After the UID lock (RFC 6638 scheduling lock), the calendar's row (with the home's) and the member's leave together.
    const uid = sent.findIndex((t) => /^SELECT pg_advisory_xact_lock\(-?\d+::bigint\)$/.test(t));
    const [a, b] = [uid + 1, uid + 2];
    assert.ok(
      uid > begin && [a, b].every((k) => /^SELECT id, path,.* FROM resources WHERE path /s.test(sent[k]!)),
      list,
    );
    assert.ok(answeredAt[a]! > b, `the member waited for its calendar:\n${list}`);
  });

  it('a user known by name (they authenticated before): their row, their grants and the target in their own area are sent before any is answered', async () => {
    const { sent, list, answeredAt, status } = await requestAs('alice', EVENT);
    assert.equal(status, 200);
    const userRow = sent.findIndex((t) => /^SELECT \* FROM users WHERE name = \$1/.test(t));
    const grants = sent.findIndex((t) => t.includes('FROM aces'));
    const target = sent.findIndex((t) => /^SELECT id, path,.* FROM resources WHERE path = \$1$/s.test(t));
    assert.ok(
      [userRow, grants, target].every((i) => i >= 0),
      list,
    );
    const lastSent = Math.max(userRow, grants, target);
    for (const i of [userRow, grants, target])
      assert.ok(answeredAt[i]! > lastSent, `one waited for another (two round trips, not one):\n${list}`);
  });

  it('RFC 6578 §3.2 sync-collection from a token reads the change feed beside the floor that says whether the token holds: each sent before the other is answered', async () => {
    const alice = davFetch(server.url, 'alice');
    const body = (token: string): string =>
      `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
    const initial = await alice('/dav/calendars/alice/default/', { method: 'REPORT', body: body('') });
    const token = /<D:sync-token>([^<]+)</.exec(await initial.text())?.[1] ?? '';
    const put = await alice('/dav/calendars/alice/default/synced.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: new TextDecoder().decode(otherEvent('synced')),
    });
    assert.equal(put.status, 201);
    const { sent, list, answeredAt, status } = await requestAs('alice', '/dav/calendars/alice/default/', {
      method: 'REPORT',
      headers: { 'Cache-Control': 'no-cache' },
      body: body(token),
    });
    assert.equal(status, 207);
    const floor = sent.findIndex((t) => t.startsWith('SELECT sync_floor'));
    const feed = sent.findIndex((t) => t.startsWith('SELECT * FROM changes'));
    assert.ok(floor >= 0 && feed >= 0, list);
    assert.ok(answeredAt[floor]! > feed && answeredAt[feed]! > floor, `one waited for the other:\n${list}`);
  });

  it('a wrong password for a known name answers 401 and shows nothing read ahead; the right one after it is answered', async () => {
    const wrong = await fetch(`${server.url}${EVENT}`, {
      headers: { Authorization: `Basic ${Buffer.from('alice:not-her-password').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    assert.doesNotMatch(await wrong.text(), /VEVENT/);
    assert.equal((await davFetch(server.url, 'alice')(EVENT)).status, 200);
  });

  it("in another user's area nothing is read before the grants are answered (the area's access check needs them)", async () => {
    const { grants, byPath, list, answeredAt, status } = await requestAs('bob', EVENT);
    assert.equal(status, 403);
    assert.ok(grants >= 0, list);
    for (const i of byPath) assert.ok(answeredAt[grants]! <= i, `read before the grants were answered:\n${list}`);
  });
});

/**
 * Records each statement `owner.query` sends (its text, in `sent`) and, per statement, how many
 * had been sent when its answer came (`answeredAt`; undefined: none came); `onSend` sees each as it
 * goes. Returns what puts `owner.query` back.
 */
function traceQueries(
  owner: { query: unknown },
  sent: string[],
  answeredAt: (number | undefined)[],
  onSend: (first: unknown, i: number) => void = () => undefined,
): () => void {
  const query = owner.query as (...a: unknown[]) => unknown;
  owner.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const i = sent.push(typeof first === 'string' ? first : ((first as { text?: string }).text ?? '')) - 1;
    onSend(first, i);
    const out = query.apply(this, args);
    if (out instanceof Promise)
      out.then(
        () => (answeredAt[i] = sent.length),
        () => (answeredAt[i] = sent.length),
      );
    return out;
  };
  return () => void (owner.query = query);
}

/** The statements sent, one a line, each after its mark (when its answer came, or its socket write): for failure messages. */
function listed(sent: readonly string[], marks: readonly (number | undefined)[]): string {
  return sent.map((t, i) => `${marks[i]} ${t.slice(0, 70).replace(/\s+/g, ' ')}`).join('\n');
}

async function statementsOf<T>(fn: () => Promise<T>): Promise<{
  sent: string[];
  named: (string | null)[];
  answeredAt: (number | undefined)[];
  writesAt: number[];
  result: T;
}> {
  const sent: string[] = [];
  const named: (string | null)[] = [];
  /** Per statement, how many statements had been sent when its answer came (undefined: none came). */
  const answeredAt: (number | undefined)[] = [];
  /** Writes to the database's sockets (a corked burst is one, `_writev`); per statement, how many came before it. */
  let writes = 0;
  const writesAt: number[] = [];
  const socketWrite = { one: Socket.prototype._write, many: Socket.prototype._writev };
  Socket.prototype._write = function (this: Socket, ...args: Parameters<Socket['_write']>) {
    writes++;
    return socketWrite.one.apply(this, args);
  };
  Socket.prototype._writev = function (this: Socket, ...args: Parameters<NonNullable<Socket['_writev']>>) {
    writes++;
    return socketWrite.many!.apply(this, args);
  };
  const restore = traceQueries(pg.Client.prototype, sent, answeredAt, (first, i) => {
    writesAt[i] = writes;
    named.push(typeof first === 'string' ? null : ((first as { name?: string }).name ?? null));
  });
  try {
    const result = await fn();
    return { sent, named, answeredAt, writesAt, result };
  } finally {
    restore();
    Socket.prototype._write = socketWrite.one;
    Socket.prototype._writev = socketWrite.many;
  }
}
