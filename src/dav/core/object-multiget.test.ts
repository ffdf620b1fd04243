/**
 * The one multiget driver (object-multiget.ts) behind RFC 4791 §7.9 calendar-multiget and
 * RFC 6352 §8.7 addressbook-multiget: the same per-member read check (RFC 3744 §7.1.1) for both.
 * A member the user may not read is 403 and its body is never read, whichever report named it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Caches } from '../../domain/caches.js';
import type { Store } from '../../store/store.js';
import type { CollectionType, Resource, User } from '../../store/types.js';
import { parseXml } from '../../xml/parse.js';
import { caldav, carddav } from '../../xml/names.js';
import { createRegistry } from '../index.js';
import type { DavContext } from './context.js';
import { storedResource } from './resource.js';
import { resourceRow } from '../../store/resource-fixture.js';

const registry = createRegistry();

const alice: User = { id: 1, name: 'alice', email: null, displayName: null, passwordHash: '', createdAt: 0 };

function row(
  id: number,
  path: string,
  isCollection: boolean,
  collectionType: CollectionType,
  contentType: string | null,
): Resource {
  return resourceRow({
    id,
    path,
    parentId: isCollection ? 1 : 8,
    isCollection,
    collectionType,
    ownerId: 2,
    contentType,
    size: 6,
    etag: `"e${id}"`,
  });
}

/** Bob's data, with every read recorded: bodies must not be among them. */
function bobsStore(rows: readonly Resource[], reads: string[]): Store {
  const byPath = new Map(rows.map((r) => [r.path, r]));
  const fake: Partial<Store> = {
    getResource: async (path) => byPath.get(path) ?? null,
    getResourcesByPaths: async (paths) => paths.flatMap((p) => byPath.get(p) ?? []),
    getProperties: async () => [],
    readBodies: async (ids) => {
      reads.push(...ids.map(String));
      return new Map(ids.map((id) => [id, new TextEncoder().encode('SECRET')]));
    },
    readBody: async (id) => {
      reads.push(String(id));
      return new TextEncoder().encode('SECRET');
    },
  };
  return fake as Store;
}

async function run(store: Store, report: string, target: Resource, body: string): Promise<string> {
  const def = registry.reports.get(report);
  assert.ok(def);
  const ctx = {
    user: alice,
    store,
    registry,
    settings: { caches: Caches.none() },
    headers: {},
  } as unknown as DavContext;
  const res = await def.run(ctx, storedResource(target), def.parse(parseXml(body), ctx));
  let text = '';
  for await (const chunk of res.body as AsyncIterable<string>) text += chunk;
  return text;
}

describe('multiget: the per-member read check (RFC 3744 §7.1.1) for calendars and contacts alike', () => {
  it('RFC 4791 §7.9: a calendar object the user may not read is 403, its calendar-data never read', async () => {
    const cal = row(8, '/calendars/bob/default', true, 'calendar', null);
    const ev = row(9, '/calendars/bob/default/e.ics', false, '', 'text/calendar; charset=utf-8');
    const reads: string[] = [];
    const xml = await run(
      bobsStore([cal, ev], reads),
      caldav('calendar-multiget'),
      cal,
      '<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>' +
        '<D:href>/dav/calendars/bob/default/e.ics</D:href></C:calendar-multiget>',
    );
    assert.match(
      xml,
      /<D:href>\/dav\/calendars\/bob\/default\/e.ics<\/D:href><D:status>HTTP\/1.1 403 Forbidden<\/D:status>/,
    );
    assert.doesNotMatch(xml, /SECRET|"e9"/);
    assert.deepEqual(reads, []);
  });

  it('RFC 6352 §8.7: an address object the user may not read is 403, its address-data never read', async () => {
    const book = row(8, '/addressbooks/bob/default', true, 'addressbook', null);
    const card = row(9, '/addressbooks/bob/default/c.vcf', false, '', 'text/vcard');
    const reads: string[] = [];
    const xml = await run(
      bobsStore([book, card], reads),
      carddav('addressbook-multiget'),
      book,
      '<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop>' +
        '<D:href>/dav/addressbooks/bob/default/c.vcf</D:href></C:addressbook-multiget>',
    );
    assert.match(
      xml,
      /<D:href>\/dav\/addressbooks\/bob\/default\/c.vcf<\/D:href><D:status>HTTP\/1.1 403 Forbidden<\/D:status>/,
    );
    assert.doesNotMatch(xml, /SECRET|"e9"/);
    assert.deepEqual(reads, []);
  });
});
