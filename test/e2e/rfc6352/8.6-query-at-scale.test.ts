/**
 * RFC 6352 §8.6 at scale: one address book of 50,000 cards. A `contains` search on FN, a
 * 100-item multiget and an incremental sync must answer without reading every card: the test
 * counts the bodies the server reads. How fast they answer is the benchmark's
 * (addressbook-query-fn and addressbook-multiget-100 with 50,000 contacts at `--size 10k`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseVcard } from '../../../src/formats/vcard/parse.js';
import { searchEntries } from '../../../src/formats/vcard/search-index.js';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import type { Store } from '../../../src/store/store.js';
import { createUser } from '../../../src/domain/users.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, CR, D, putCard, report, type Dav } from './carddav-helpers.js';

const N = 50_000;
const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Eva', 'Felix', 'Gina', 'Hugo', 'Ines', 'Jonas'];

function body(i: number): string {
  const fn = `${FIRST[i % FIRST.length]} Person${i}`;
  return `BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person${i};${FIRST[i % FIRST.length]};;;\r\nFN:${fn}\r\nEMAIL:p${i}@example.com\r\nTEL:+49 ${i}\r\nUID:scale-${i}\r\nEND:VCARD\r\n`;
}

describe('RFC 6352 §8.6 / §8.7 / RFC 6578 on a 50,000-card address book', () => {
  let server: TestServer;
  let dav: Dav;
  let dir: string;
  let reads = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-scale-'));
    const inner = openSqliteStore(join(dir, 'a.sqlite'), { synchronous: 'NORMAL' });
    await inner.transaction(['/files/alice'], (tx) => createUser(tx, { name: 'alice', password: 'alice-pw' }));
    const user = await inner.getUserByName('alice');
    const enc = new TextEncoder();
    for (let start = 0; start < N; start += 5_000) {
      await inner.transaction(['/addressbooks/alice'], async (tx) => {
        for (let i = start; i < start + 5_000; i++) {
          const text = body(i);
          await tx.putObject(`/addressbooks/alice/default/c${i}.vcf`, {
            ownerId: user?.id ?? 0,
            body: enc.encode(text),
            contentType: 'text/vcard; charset=utf-8',
            etag: `"e${i}"`,
            index: { uid: `scale-${i}`, component: 'VCARD', search: searchEntries(parseVcard(text)) },
          });
        }
      });
    }
    // Count every body the server reads.
    const counting = new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'readBody')
          return (id: number) => {
            reads++;
            return target.readBody(id);
          };
        if (prop === 'readBodies')
          return (ids: readonly number[]) => {
            reads += new Set(ids).size;
            return target.readBodies(ids);
          };
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as Store;
    server = await startTestServer({ store: counting, users: {} });
    dav = davFetch(server.url, 'alice');
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a contains search on FN reads only the matching cards', async () => {
    reads = 0;
    const res = await report(
      dav,
      BOOK,
      `<C:addressbook-query xmlns:D="DAV:" xmlns:C="${CR}"><D:prop><D:getetag/></D:prop>
      <C:filter><C:prop-filter name="FN"><C:text-match match-type="contains">person4242</C:text-match></C:prop-filter></C:filter></C:addressbook-query>`,
    );
    assert.deepEqual(
      res.map((r) => r.href).sort(),
      ['c4242', 'c42420', 'c42421', 'c42422', 'c42423', 'c42424', 'c42425', 'c42426', 'c42427', 'c42428', 'c42429']
        .map((n) => `${BOOK}${n}.vcf`)
        .sort(),
    );
    assert.ok(reads <= res.length, `read ${reads} bodies for ${res.length} matches`);
  });

  it('a broad search with nresults stops reading once the limit is passed', async () => {
    reads = 0;
    const res = await report(
      dav,
      BOOK,
      `<C:addressbook-query xmlns:D="DAV:" xmlns:C="${CR}"><D:prop><D:getetag/></D:prop>
      <C:filter><C:prop-filter name="EMAIL"><C:text-match match-type="ends-with">@example.com</C:text-match></C:prop-filter></C:filter>
      <C:limit><C:nresults>10</C:nresults></C:limit></C:addressbook-query>`,
    );
    assert.equal(res.length, 11);
    assert.equal(res[0]?.status, 507);
    assert.ok(reads <= 11, `read ${reads}`);
  });

  it('a 100-item multiget reads 100 cards', async () => {
    reads = 0;
    const hrefs = Array.from({ length: 100 }, (_v, i) => `<D:href>${BOOK}c${i * 499}.vcf</D:href>`).join('');
    const res = await report(
      dav,
      BOOK,
      `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="${CR}"><D:prop><D:getetag/><C:address-data/></D:prop>${hrefs}</C:addressbook-multiget>`,
    );
    assert.equal(res.length, 100);
    assert.ok(res.every((r) => r.props.get(`{${CR}}address-data`)?.status === 200));
    assert.equal(reads, 100);
  });

  it('an incremental sync-collection (RFC 6578) reads only what changed', async () => {
    const first = await dav(BOOK, {
      method: 'PROPFIND',
      headers: { Depth: '0', 'Content-Type': 'application/xml' },
      body: '<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
    });
    const token = /<D:sync-token>([^<]+)</.exec(await first.text())?.[1] ?? '';
    assert.ok(token);
    assert.equal(
      (await putCard(dav, `${BOOK}new.vcf`, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:New One\r\nUID:new-1\r\nEND:VCARD\r\n'))
        .status,
      201,
    );
    // The birthday calendar is made again after an address-book write, reading the new card:
    // that read is the write's, not the report's.
    await server.birthdaysIdle();
    reads = 0;
    const res = await report(
      dav,
      BOOK,
      `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level>
      <D:prop><D:getetag/></D:prop></D:sync-collection>`,
    );
    assert.deepEqual(
      res.map((r) => r.href),
      [`${BOOK}new.vcf`],
    );
    assert.ok(res[0]?.props.get(`{${D}}getetag`));
    assert.equal(reads, 0);
  });
});
