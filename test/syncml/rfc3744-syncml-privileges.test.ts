/**
 * RFC 3744 §3 privileges through SyncML: a device writes with its user's privileges, evaluated
 * by the same rule as a DAV write (domain/objects/privileges.ts). A write DAV refuses with 403
 * DAV:need-privileges is refused 425 (Permission denied) and changes nothing: another user's
 * calendar, and a derived (subscribed) calendar whose members only the server writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StoreSyncItems } from '../../src/domain/syncml/sync-items.js';
import { contentEtag } from '../../src/domain/etag.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { ICAL, itemStatus } from './driver.js';

const DERIVED = '/calendars/alice/holidays';

describe('RFC 3744 §3: SyncML writes meet the same privileges as DAV writes', () => {
  let t: TestServer;
  let alice: { id: number; name: string };
  let bob: { id: number; name: string };
  before(async () => {
    t = await startTestServer();
    const a = await t.store.getUserByName('alice');
    const b = await t.store.getUserByName('bob');
    alice = { id: a!.id, name: 'alice' };
    bob = { id: b!.id, name: 'bob' };
    const body = new TextEncoder().encode(ICAL('feed-1'));
    await t.store.transaction(['/calendars/alice'], async (tx) => {
      await tx.createCollection(DERIVED, { ownerId: alice.id, collectionType: 'calendar', derived: 'subscription' });
      await tx.putObject(`${DERIVED}/feed-1.ics`, {
        ownerId: alice.id,
        body,
        contentType: 'text/calendar; charset=utf-8',
        etag: contentEtag(body),
        index: { uid: 'feed-1', component: 'VEVENT' },
      });
    });
  });
  after(async () => t.close());

  it('DAV refuses a PUT into a derived calendar with 403 need-privileges', async () => {
    const res = await davFetch(t.url)(`/dav${DERIVED}/mine.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: ICAL('mine'),
    });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /need-privileges/);
  });

  it('SyncML Add into a derived calendar: 425, nothing stored', async () => {
    const items = new StoreSyncItems(t.store);
    assert.equal(await itemStatus(items.put(alice, DERIVED, 'mine.ics', ICAL('mine'), 'syncml:x')), 425);
    assert.equal(await items.read(alice, DERIVED, 'mine.ics'), null);
  });

  it('SyncML Replace and Delete of a derived calendar member: 425, the member unchanged', async () => {
    const items = new StoreSyncItems(t.store);
    const before = await items.read(alice, DERIVED, 'feed-1.ics');
    assert.equal(
      await itemStatus(items.put(alice, DERIVED, 'feed-1.ics', ICAL('feed-1', 'LOCATION:phone'), 'syncml:x')),
      425,
    );
    assert.equal(await itemStatus(items.delete(alice, DERIVED, 'feed-1.ics', 'syncml:x')), 425);
    assert.equal((await items.read(alice, DERIVED, 'feed-1.ics'))?.item.etag, before?.item.etag);
  });

  it("another user's calendar: 425 for Add and Delete", async () => {
    const items = new StoreSyncItems(t.store);
    const own = await items.put(alice, '/calendars/alice/default', null, ICAL('own'), 'syncml:x');
    assert.equal(await itemStatus(items.put(bob, '/calendars/alice/default', null, ICAL('intruder'), 'syncml:y')), 425);
    assert.equal(await itemStatus(items.delete(bob, '/calendars/alice/default', own.name, 'syncml:y')), 425);
  });
});
