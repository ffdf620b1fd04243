/**
 * Several nodes on one PostgreSQL database (issue #13): the fetch lease in the store makes one
 * node fetch a feed while the others skip it, whether two refreshes race or every node's
 * scheduler finds the feed due at once.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SubscriptionScheduler } from '../../../src/domain/subscriptions/scheduler.js';
import { refreshSubscription, subscribe } from '../../../src/domain/subscriptions/subscriptions.js';
import { createUser } from '../../../src/domain/users.js';
import { DEFAULT_FEED_LIMITS, httpFeedFetcher } from '../../../src/http/feed-fetcher.js';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import type { Store } from '../../../src/store/store.js';
import { createThrowawayDatabase, postgresSkipReason } from '../../helpers/postgres.js';

const FEED =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:one\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

describe('.ics subscriptions on PostgreSQL: one node fetches a feed at a time', async () => {
  const skip = await postgresSkipReason();
  let db: { url: string; drop(): Promise<void> } | undefined;
  const nodes: Store[] = [];
  let feed: Server;
  let url = '';
  let requests = 0;

  before(async () => {
    if (skip) return;
    // The feed answers slowly, so that the nodes' refreshes overlap.
    feed = createServer((_req, res) => {
      requests += 1;
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/calendar' }).end(FEED), 300);
    });
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/feed.ics`;
    db = await createThrowawayDatabase();
    nodes.push(await openPostgresStore(db.url), await openPostgresStore(db.url), await openPostgresStore(db.url));
    await nodes[0]!.transaction(['/files/alice'], (tx) => createUser(tx, { name: 'alice', password: 'pw' }));
  });
  after(async () => {
    for (const n of nodes) await n.close();
    await db?.drop();
    if (feed) await new Promise<void>((r) => feed.close(() => r()));
  });

  it('three racing refreshes: one fetches and writes, two are told the feed is busy', { skip }, async () => {
    const alice = (await nodes[0]!.getUserByName('alice'))!;
    const { collection } = await subscribe(nodes[0]!, alice, { url });
    const fetcher = httpFeedFetcher({ ...DEFAULT_FEED_LIMITS, allowPrivate: true });
    const outcomes = await Promise.all(
      nodes.map((n, i) => refreshSubscription(n, fetcher, collection.id, `node-${i}`)),
    );
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['busy', 'busy', 'updated']);
    assert.equal(requests, 1);
    assert.equal((await nodes[1]!.listChildren(collection.id)).length, 1);
    assert.equal((await nodes[2]!.getSubscription(collection.id))?.lastError, null);
  });

  it("every node's scheduler finds a due feed at once: it is fetched once", { skip }, async () => {
    const alice = (await nodes[0]!.getUserByName('alice'))!;
    const { collection } = await subscribe(nodes[0]!, alice, { url, name: 'Second' });
    requests = 0;
    const fetcher = httpFeedFetcher({ ...DEFAULT_FEED_LIMITS, allowPrivate: true });
    const schedulers = nodes.map((n) => new SubscriptionScheduler(n, fetcher, 0));
    await Promise.all(schedulers.map((s) => s.tick()));
    assert.equal(requests, 1);
    assert.equal((await nodes[0]!.listChildren(collection.id)).length, 1);
    const due = await nodes[0]!.dueSubscriptions(Date.now(), 10);
    assert.deepEqual(due, [], 'both feeds are done until their next interval');
  });
});
