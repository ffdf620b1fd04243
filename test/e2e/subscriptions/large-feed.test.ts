/**
 * A feed larger than one calendar object may be (RFC 4791 objects are bounded by
 * formats/ical/limits.ts: 5,000 components): 3,000 events with an alarm each (6,000+
 * components) are parsed in pieces and stored as 3,000 objects; a second fetch that changes one
 * event writes one.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { refreshSubscription, subscribe } from '../../../src/domain/subscriptions/subscriptions.js';
import { DEFAULT_FEED_LIMITS, httpFeedFetcher } from '../../../src/http/feed-fetcher.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const EVENTS = 3000;
const feedText = (changed: string): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Timetable//EN',
    ...Array.from({ length: EVENTS }, (_, i) => [
      'BEGIN:VEVENT',
      `UID:lecture-${i}`,
      'DTSTAMP:20260101T000000Z',
      `DTSTART:2027${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}T${String(8 + (i % 10)).padStart(2, '0')}0000Z`,
      'DURATION:PT1H',
      `SUMMARY:Lecture ${i}${i === 7 ? changed : ''}`,
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER:-PT10M',
      'DESCRIPTION:Lecture',
      'END:VALARM',
      'END:VEVENT',
    ]).flat(),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('.ics subscriptions: a feed with more components than one object may hold', () => {
  let s: TestServer;
  let feed: Server;
  let body = feedText('');
  let url = '';
  before(async () => {
    feed = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/calendar' }).end(body));
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/timetable.ics`;
    s = await startTestServer({ config: { relayAllowPrivate: true, subscriptionCheckMs: 0 } });
  });
  after(async () => {
    await s.close();
    await new Promise<void>((r) => feed.close(() => r()));
  });

  it(`${EVENTS} events with alarms are stored as ${EVENTS} objects; a change of one rewrites one`, async () => {
    const alice = (await s.store.getUserByName('alice'))!;
    const { collection } = await subscribe(s.store, alice, { url });
    const fetcher = httpFeedFetcher({ ...DEFAULT_FEED_LIMITS, allowPrivate: true });
    let t = Date.now();
    const first = await refreshSubscription(s.store, fetcher, collection.id, 'test');
    console.log(`first fetch of ${EVENTS} events: ${Date.now() - t} ms`);
    assert.equal(first.status, 'updated', JSON.stringify(first));
    assert.deepEqual(first.status === 'updated' && [first.written, first.deleted, first.skipped], [EVENTS, 0, 0]);
    assert.equal((await s.store.listChildren(collection.id)).length, EVENTS);
    body = feedText(' (moved)');
    t = Date.now();
    const second = await refreshSubscription(s.store, fetcher, collection.id, 'test');
    console.log(`second fetch, one event changed: ${Date.now() - t} ms`);
    assert.equal(second.status, 'updated', JSON.stringify(second));
    assert.deepEqual(second.status === 'updated' && [second.written, second.deleted, second.unchanged], [
      1,
      0,
      EVENTS - 1,
    ]);
  });
});
