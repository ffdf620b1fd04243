/**
 * Real SyncML clients through HAProxy (round robin per request, no sticky sessions), so every
 * message of a session reaches another node than the one before (OMA DS 1.2 §6: the session
 * lives in the database, not in a node): the shared SyncEvolution recipe in WBXML with
 * MaxMsgSize 5000 (multi-message packages, large objects in MoreData chunks) — slow, two-way,
 * server-side edits through CalDAV/CardDAV, a conflict, refresh-from-server (Alert 205) and
 * refresh-from-client (203), idle syncs, a wrong password — and one-way-from-server (204) and
 * one-way-from-client (202) with a SyncEvolution phone. HAProxy's access log shows where each
 * message went.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ask, haproxySkipReason, startTestCluster, type TestCluster } from '../../helpers/cluster.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { SyncEvolutionPhone } from '../../interop/syncml/syncevolution-phone.js';
import {
  assertEveryCheckPassed,
  runSyncEvolutionClient,
  syncEvolutionClientMissing,
} from '../../interop/syncml/syncevolution-client-run.js';

const CAL = '/dav/calendars/bob/default/';

function vevent(uid: string, summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//cluster SyncML//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260310T090000Z',
    'DTEND:20260310T100000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** The SyncML POSTs HAProxy logged since `from`, in order, with the node of each. */
function syncmlPosts(c: TestCluster, from = 0): { node: string; uri: string }[] {
  return c
    .accessLog()
    .slice(from)
    .filter((r) => r.method === 'POST' && r.uri.startsWith('/syncml'));
}

/**
 * Sessions run one after another, so a message to the RespURI (`?sid=`) follows the previous
 * message of its own session in the log: it must have reached another node.
 */
function assertEachMessageOnAnotherNode(posts: readonly { node: string; uri: string }[]): number {
  let continued = 0;
  posts.forEach((p, i) => {
    if (i === 0 || !p.uri.includes('sid=')) return;
    continued += 1;
    assert.notEqual(p.node, posts[i - 1]!.node, `message ${i} (${p.uri}) on the node of the message before`);
  });
  return continued;
}

describe('SyncEvolution through three nodes behind HAProxy', async () => {
  const skip = (await postgresSkipReason()) || haproxySkipReason() || syncEvolutionClientMissing || false;
  let c: TestCluster;
  before(async () => {
    if (skip) return;
    c = await startTestCluster(3, { accessLog: true });
  });
  after(async () => c?.close());

  it(
    'the shared recipe in WBXML with MaxMsgSize 5000 (slow, two-way, server edits, conflict, refresh both ways, wrong password) passes with every message on another node',
    { skip, timeout: 600_000 },
    async (t) => {
      // The same data as the single-server run (50 contacts, 50 events, 10 tasks), in WBXML with
      // MaxMsgSize 5000: packages of several messages and large objects sent in MoreData chunks
      // (digest §9-10, §13), so one package and one object are spread over the nodes too.
      const run = await runSyncEvolutionClient(c.url, 'alice', 'alice-pw', ['--wbxml', '--max-msg-size', '5000']);
      assertEveryCheckPassed(run, 100);
      const posts = syncmlPosts(c);
      t.diagnostic(
        `${posts.length} SyncML messages: ${['n1', 'n2', 'n3'].map((n) => `${n} ${posts.filter((p) => p.node === n).length}`).join(', ')}`,
      );
      assert.ok(posts.length > 40, `${posts.length} SyncML messages logged`);
      assert.ok(assertEachMessageOnAnotherNode(posts) > 20, 'sessions of several messages');
    },
  );

  it(
    'one-way-from-server (Alert 204) and one-way-from-client (Alert 202) through the balancer',
    { skip, timeout: 300_000 },
    async () => {
      const from = c.accessLog().length;
      const phone = await SyncEvolutionPhone.create({
        url: `${c.url}/syncml`,
        user: 'bob',
        password: 'bob-pw',
        deviceId: 'cluster-one-way-phone',
      });
      const put = async (uid: string, summary: string): Promise<void> => {
        const r = await ask(
          c.url,
          `${CAL}${uid}.ics`,
          { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: vevent(uid, summary) },
          'bob',
        );
        assert.equal(r.status, 201, r.text);
      };
      const onServer = async (): Promise<string> =>
        (
          await ask(
            c.url,
            CAL,
            {
              method: 'REPORT',
              headers: { 'Content-Type': 'application/xml', Depth: '1' },
              body: '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>',
            },
            'bob',
          )
        ).text;
      const onPhone = async (): Promise<string> => [...(await phone.items()).values()].join('\n');
      try {
        await put('server-1', 'From the server 1');
        await phone.sync('slow');
        assert.match(await onPhone(), /SUMMARY:From the server 1/);

        await put('server-2', 'From the server 2');
        await phone.sync('one-way-from-remote');
        assert.match(await onPhone(), /SUMMARY:From the server 2/, 'one-way from the server brings the new event');

        await phone.edit('phone-1', vevent('phone-1', 'From the phone 1'));
        await put('server-3', 'From the server 3');
        await phone.sync('one-way-from-local');
        assert.equal(
          (await onServer()).match(/SUMMARY:From the phone 1/g)?.length,
          1,
          'one-way from the phone sends its event once',
        );
        assert.doesNotMatch(await onPhone(), /From the server 3/, 'one-way from the phone brings nothing back');

        await phone.sync('two-way');
        assert.match(await onPhone(), /SUMMARY:From the server 3/);
        const server = await onServer();
        for (const s of ['From the server 1', 'From the server 2', 'From the server 3', 'From the phone 1'])
          assert.equal(server.split(`SUMMARY:${s}\r\n`).length - 1, 1, `${s} once on the server`);
        assert.equal((await phone.items()).size, 4, 'four items on the phone, none twice');
      } finally {
        await phone.close();
      }
      const posts = syncmlPosts(c, from);
      assert.ok(new Set(posts.map((p) => p.node)).size === 3, 'the messages went to all three nodes');
      assert.ok(assertEachMessageOnAnotherNode(posts) >= 4, 'sessions of several messages');
    },
  );
});
