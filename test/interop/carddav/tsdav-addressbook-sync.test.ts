/**
 * tsdav (the TypeScript DAV client) against Almanac: account discovery from /.well-known,
 * address-book listing, card create/update/delete, and an incremental webdav sync.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressBookMultiGet, createDAVClient, type DAVAddressBook, type DAVVCard } from 'tsdav';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const vcard = (uid: string, fn: string) =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${fn}\r\nN:${fn};;;;\r\nUID:${uid}\r\nEND:VCARD\r\n`;

describe('interop: tsdav address-book sync', () => {
  let server: TestServer;
  let client: Awaited<ReturnType<typeof createDAVClient>>;
  let book: DAVAddressBook;
  before(async () => {
    server = await startTestServer();
    client = await createDAVClient({
      serverUrl: server.url,
      credentials: { username: 'alice', password: 'alice-pw' },
      authMethod: 'Basic',
      defaultAccountType: 'carddav',
    });
  });
  after(async () => server.close());

  it('discovers the default address book through /.well-known/carddav', async () => {
    const books = await client.fetchAddressBooks();
    const found = books.find((b) => b.url.endsWith('/dav/addressbooks/alice/default/'));
    assert.ok(found, JSON.stringify(books.map((b) => b.url)));
    assert.equal(found.displayName, 'Contacts');
    book = found;
  });

  it('creates cards and fetches them back (addressbook-query / multiget)', async () => {
    for (const [uid, fn] of [
      ['t1', 'Tess One'],
      ['t2', 'Tom Two'],
    ]) {
      const res = await client.createVCard({ addressBook: book, vCardString: vcard(uid, fn), filename: `${uid}.vcf` });
      assert.equal(res.status, 201);
    }
    const cards = await client.fetchVCards({ addressBook: book });
    assert.deepEqual(cards.map((c) => c.url.split('/').pop()).sort(), ['t1.vcf', 't2.vcf']);
    assert.ok(cards.every((c) => typeof c.data === 'string' && c.data.includes('BEGIN:VCARD') && c.etag));
  });

  it('smartCollectionSync (webdav sync-collection) reports created, updated and deleted cards', async () => {
    const objects: DAVVCard[] = await client.fetchVCards({ addressBook: book });
    // As tsdav's createAccount({ loadCollections: true }) sets it up.
    const synced = {
      ...book,
      objects,
      objectMultiGet: addressBookMultiGet,
      syncToken: (await client.fetchAddressBooks()).find((b) => b.url === book.url)?.syncToken,
    };
    const t1 = objects.find((o) => o.url.endsWith('/t1.vcf'));
    assert.ok(t1);
    assert.equal((await client.updateVCard({ vCard: { ...t1, data: vcard('t1', 'Tess Updated') } })).status, 204);
    const t2 = objects.find((o) => o.url.endsWith('/t2.vcf'));
    assert.ok(t2);
    assert.equal((await client.deleteVCard({ vCard: t2 })).status, 204);
    assert.equal(
      (await client.createVCard({ addressBook: book, vCardString: vcard('t3', 'Tia Three'), filename: 't3.vcf' }))
        .status,
      201,
    );

    const result = await client.smartCollectionSync({
      collection: synced,
      method: 'webdav',
      detailedResult: true,
      account: {
        accountType: 'carddav',
        serverUrl: server.url,
        credentials: { username: 'alice', password: 'alice-pw' },
        rootUrl: `${server.url}/dav/`,
        homeUrl: `${server.url}/dav/addressbooks/alice/`,
      },
    });
    const names = (list: DAVVCard[] | undefined) => (list ?? []).map((o) => o.url.split('/').pop()).sort();
    assert.deepEqual(names(result.objects.created), ['t3.vcf']);
    assert.deepEqual(names(result.objects.updated), ['t1.vcf']);
    assert.deepEqual(names(result.objects.deleted), ['t2.vcf']);
    assert.match(String(result.objects.updated[0]?.data ?? ''), /Tess Updated/);
    assert.notEqual(result.syncToken, synced.syncToken);
  });
});
