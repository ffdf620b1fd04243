/**
 * RFC 4331 quotas through SyncML: an Add or Replace that would take the user past their quota
 * is refused 420 (Device full: the server's store for this user is) and nothing is stored; a
 * Replace that does not grow the item passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setUserQuota } from '../../src/domain/accounts/admin.js';
import { StoreSyncItems } from '../../src/domain/syncml/sync-items.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { itemStatus } from './driver.js';

const BOOK = '/addressbooks/alice/default';
const card = (uid: string, note = ''): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:Quota Test\r\nN:Test;Quota;;;\r\n${note ? `NOTE:${note}\r\n` : ''}END:VCARD\r\n`;

describe('RFC 4331 §6 through SyncML: 420 device full', () => {
  let t: TestServer;
  let user: { id: number; name: string };
  const used = async () => (await t.store.getUserByName('alice'))?.quotaUsed ?? 0;
  before(async () => {
    t = await startTestServer();
    const u = await t.store.getUserByName('alice');
    user = { id: u!.id, name: 'alice' };
  });
  after(async () => t.close());

  it('an Add over quota is 420 and stores nothing; a Replace that grows is 420, one that does not passes', async () => {
    const items = new StoreSyncItems(t.store, { maxUploadBytes: 1_000_000 });
    const stored = await items.put(user, BOOK, 'q.vcf', card('q', 'abc'), 'syncml:x');
    await setUserQuota(t.store, 'alice', await used());
    assert.equal(await itemStatus(items.put(user, BOOK, 'new.vcf', card('new'), 'syncml:x')), 420);
    assert.equal(await items.read(user, BOOK, 'new.vcf'), null);
    assert.equal(await itemStatus(items.put(user, BOOK, 'q.vcf', card('q', 'abcdef'), 'syncml:x')), 420);
    assert.equal((await items.read(user, BOOK, 'q.vcf'))?.item.etag, stored.etag);
    assert.equal(await itemStatus(items.put(user, BOOK, 'q.vcf', card('q', 'xyz'), 'syncml:x')), 0);
  });
});
