/**
 * The birthday calendar on several nodes of one PostgreSQL database: the node that wrote a card
 * brings the calendar up to date, and every node serves it; the other nodes, which hear the same
 * change notice, do not read the address book again (each did, so every contact write cost every
 * node of a cluster a regeneration — docs/SCALING.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import { countingStore } from '../../helpers/counting-store.js';
import { createThrowawayDatabase, postgresSkipReason } from '../../helpers/postgres.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const BOOK = '/dav/addressbooks/alice/default/';
const CAL = '/dav/calendars/alice/contact_birthdays/';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const card = (i: number): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c${i}\r\nFN:Person ${i}\r\nN:Person;${i};;;\r\nBDAY:1980-01-${String(1 + i).padStart(2, '0')}\r\nEND:VCARD\r\n`;

describe('birthday calendar across nodes (PostgreSQL)', async () => {
  const skip = await postgresSkipReason();
  let db: { url: string; drop(): Promise<void> } | undefined;
  let writer: TestServer | undefined;
  let other: TestServer | undefined;
  /** Reads of a change feed by the node that serves nothing: the birthday updater's. */
  let otherFeedReads = 0;
  before(async () => {
    if (skip) return;
    db = await createThrowawayDatabase();
    writer = await startTestServer({ store: await openPostgresStore(db.url), config: { database: db.url } });
    const counted = countingStore(await openPostgresStore(db.url), (method) => {
      if (method === 'changesSince' || method === 'listChildren') otherFeedReads += 1;
    });
    other = await startTestServer({ users: {}, store: counted, config: { database: db.url } });
  });
  after(async () => {
    await other?.close();
    await writer?.close();
    await db?.drop();
  });

  it(
    '10 cards written on one node: the other reads no address book, and serves all 10 birthdays',
    { skip },
    async () => {
      await sleep(500); // both nodes' start-up sweeps are done
      const before = otherFeedReads;
      for (let i = 0; i < 10; i++) {
        const res = await davFetch(writer!.url)(`${BOOK}c${i}.vcf`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/vcard' },
          body: card(i),
        });
        assert.equal(res.status, 201);
      }
      await sleep(500); // the notices have reached the other node
      const reads = otherFeedReads - before;
      let events = 0;
      for (const end = Date.now() + 5000; Date.now() < end && events < 10; await sleep(100)) {
        const res = await davFetch(other!.url)(CAL, { method: 'PROPFIND', headers: { Depth: '1' } });
        events = ((await res.text()).match(/\.ics<\/D:href>/g) ?? []).length;
      }
      assert.equal(events, 10, 'the node that wrote nothing serves every birthday');
      assert.equal(reads, 0, 'the other node did not regenerate the calendar itself');
    },
  );
});
