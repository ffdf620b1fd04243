/**
 * RFC 4918 §7 (write locks) meets SyncML: a device cannot submit a lock token, so a write to an
 * object a WebDAV lock covers is answered 417 (Retry later) for that item and the locked object is unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StoreSyncItems } from '../../src/domain/syncml/sync-items.js';
import type { Lock } from '../../src/store/types.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Device, ICAL, itemStatuses, makeServer, serverItems, itemStatus } from './driver.js';

const CAL = '/calendars/alice/default';
/** Own start time: slow-sync matching by content must find this item and no other. */
const L3_START = '20270303T090000Z';

describe('RFC 4918 §7: WebDAV locks and SyncML writes', () => {
  let t: TestServer;
  let user: { id: number; name: string };
  let n = 0;
  const lock = async (path: string, depth: 0 | 'infinity', expiresAt = Date.now() + 600_000): Promise<string> => {
    const token = `opaquelocktoken:test-${++n}`;
    const l: Lock = {
      token,
      path,
      depth,
      scope: 'exclusive',
      ownerXml: null,
      principalId: user.id,
      timeoutSeconds: 600,
      expiresAt,
      createdAt: Date.now(),
    };
    await t.store.transaction(['/calendars/alice'], (tx) => tx.createLock(l));
    return token;
  };
  const unlock = (token: string) => t.store.transaction(['/calendars/alice'], (tx) => tx.deleteLock(token));
  const status = itemStatus;
  before(async () => {
    t = await startTestServer();
    const u = await t.store.getUserByName('alice');
    user = { id: u!.id, name: 'alice' };
  });
  after(async () => t.close());

  it('a lock on the object: Replace and Delete → 417 Retry later, body unchanged', async () => {
    const items = new StoreSyncItems(t.store);
    const it1 = await items.put(user, CAL, null, ICAL('l1'), 'dav');
    const token = await lock(`${CAL}/${it1.name}`, 0);
    assert.equal(await status(items.put(user, CAL, it1.name, ICAL('l1', 'LOCATION:x'), 'syncml:p')), 417);
    assert.equal(await status(items.delete(user, CAL, it1.name, 'syncml:p')), 417);
    assert.equal((await items.read(user, CAL, it1.name))?.item.etag, it1.etag);
    await unlock(token);
    assert.equal(await status(items.put(user, CAL, it1.name, ICAL('l1', 'LOCATION:x'), 'syncml:p')), 0);
  });

  it('a depth-0 lock on the calendar protects its membership: Add → 417; an expired lock does not', async () => {
    const items = new StoreSyncItems(t.store);
    const token = await lock(CAL, 0);
    assert.equal(await status(items.put(user, CAL, null, ICAL('l2'), 'syncml:p')), 417);
    await unlock(token);
    await lock(CAL, 0, Date.now() - 1);
    assert.equal(await status(items.put(user, CAL, null, ICAL('l2'), 'syncml:p')), 0);
  });

  it('in a session: the item Status is 417 and the other items go through', async () => {
    const items = new StoreSyncItems(t.store);
    const locked = await items.put(user, CAL, null, ICAL('l3', '', 'VEVENT', L3_START), 'dav');
    const dev = new Device(makeServer(t.store), 'lock-phone', '1');
    await dev.pkg1(null, undefined, 'k1');
    // First (slow) sync maps the device's copy of the locked item by UID.
    const type = { type: 'text/calendar', version: '2.0' };
    const pkg4 = await dev.pkg3([
      { kind: 'Add', meta: type, items: [{ source: { locURI: 'p-l3' }, data: ICAL('l3', '', 'VEVENT', L3_START) }] },
    ]);
    await dev.pkg5(serverItems(pkg4).map((x) => [x.item.source?.locURI ?? '', `p-${x.item.source?.locURI}`]));
    const token = await lock(`${CAL}/${locked.name}`, 0);
    const dev2 = new Device(makeServer(t.store), 'lock-phone', '2');
    await dev2.pkg1(null, 'k1', 'k2');
    const r = await dev2.pkg3([
      {
        kind: 'Replace',
        meta: type,
        items: [{ source: { locURI: 'p-l3' }, data: ICAL('l3', 'LOCATION:phone', 'VEVENT', L3_START) }],
      },
      { kind: 'Add', meta: type, items: [{ source: { locURI: 'p-new' }, data: ICAL('l4') }] },
    ]);
    assert.deepEqual([...itemStatuses(r, 'Replace'), ...itemStatuses(r, 'Add')], [417, 201]);
    assert.doesNotMatch((await items.read(user, CAL, locked.name))?.text ?? '', /LOCATION:phone/);
    await unlock(token);
  });
});
