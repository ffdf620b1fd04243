/**
 * RFC 6352 §6.2.3 (CARDDAV:max-resource-size) through SyncML: a card a device adds or replaces
 * meets the same size limit as a CardDAV PUT, which the server's upload limit (maxUploadBytes)
 * lowers; a larger one is refused 416 (Requested size too big) and nothing is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StoreSyncItems } from '../../src/domain/syncml/sync-items.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { itemStatus } from './driver.js';

const BOOK = '/addressbooks/alice/default';
const card = (uid: string, note = ''): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:Size Test\r\nN:Test;Size;;;\r\n${note ? `NOTE:${note}\r\n` : ''}END:VCARD\r\n`;

describe('RFC 6352 §6.2.3: SyncML cards meet the server upload limit', () => {
  let t: TestServer;
  let user: { id: number; name: string };
  before(async () => {
    t = await startTestServer();
    const u = await t.store.getUserByName('alice');
    user = { id: u!.id, name: 'alice' };
  });
  after(async () => t.close());

  it('a card larger than maxUploadBytes is refused 416; a smaller one is stored', async () => {
    const items = new StoreSyncItems(t.store, { maxUploadBytes: 400 });
    assert.equal(await itemStatus(items.put(user, BOOK, 'big.vcf', card('big', 'z'.repeat(500)), 'syncml:x')), 416);
    assert.equal(await items.read(user, BOOK, 'big.vcf'), null);
    assert.equal(await itemStatus(items.put(user, BOOK, 'small.vcf', card('small'), 'syncml:x')), 0);
  });

  it('a Replace that grows a card beyond the limit is refused 416 and the card is unchanged', async () => {
    const items = new StoreSyncItems(t.store, { maxUploadBytes: 400 });
    const stored = await items.put(user, BOOK, 'grow.vcf', card('grow'), 'syncml:x');
    assert.equal(await itemStatus(items.put(user, BOOK, 'grow.vcf', card('grow', 'z'.repeat(500)), 'syncml:x')), 416);
    assert.equal((await items.read(user, BOOK, 'grow.vcf'))?.item.etag, stored.etag);
  });
});
