import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, CR, D, cardLines, errorElement, putCard, report, type Dav } from './carddav-helpers.js';
import { EXAMPLE_CARDS } from './rfc-example-data.js';

const PARTIAL = `<D:prop>
       <D:getetag/>
       <C:address-data>
         <C:prop name="VERSION"/>
         <C:prop name="UID"/>
         <C:prop name="NICKNAME"/>
         <C:prop name="EMAIL"/>
         <C:prop name="FN"/>
       </C:address-data>
     </D:prop>`;

function query(filter: string, prop = '<D:prop><D:getetag/></D:prop>', extra = ''): string {
  return `<?xml version="1.0" encoding="utf-8" ?>
   <C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">${prop}${filter}${extra}</C:addressbook-query>`;
}

describe('RFC 6352 §8.6 CARDDAV:addressbook-query', () => {
  let server: TestServer;
  let dav: Dav;
  const hrefs = async (filter: string): Promise<string[]> =>
    (await report(dav, BOOK, query(filter))).map((r) => r.href.slice(BOOK.length)).sort();

  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
    for (const [name, body] of Object.entries(EXAMPLE_CARDS))
      assert.equal((await putCard(dav, BOOK + name, body)).status, 201);
  });
  after(async () => server.close());

  it('§8.6.3 example: partial retrieval of vCards matching NICKNAME (equals, unicode-casemap)', async () => {
    const res = await report(
      dav,
      BOOK,
      query(
        `<C:filter>
       <C:prop-filter name="NICKNAME">
         <C:text-match collation="i;unicode-casemap" match-type="equals">me</C:text-match>
       </C:prop-filter>
     </C:filter>`,
        PARTIAL,
      ),
    );
    assert.deepEqual(res.map((r) => r.href).sort(), [`${BOOK}v102.vcf`, `${BOOK}vcf102.vcf`]);
    const v102 = res.find((r) => r.href.endsWith('/v102.vcf'));
    assert.match(v102?.props.get(`{${D}}getetag`)?.text ?? '', /^"/);
    const data = v102?.props.get(`{${CR}}address-data`);
    assert.equal(data?.status, 200);
    assert.deepEqual(cardLines(data?.text ?? ''), [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'NICKNAME:me',
      'UID:34222-232@example.com',
      'FN:Cyrus Daboo',
      'EMAIL:daboo@example.com',
      'END:VCARD',
    ]);
  });

  it('§8.6.4 example: FN or EMAIL contains "daboo" (filter test="anyof")', async () => {
    const res = await report(
      dav,
      BOOK,
      query(
        `<C:filter test="anyof">
       <C:prop-filter name="FN">
         <C:text-match collation="i;unicode-casemap" match-type="contains">daboo</C:text-match>
       </C:prop-filter>
       <C:prop-filter name="EMAIL">
         <C:text-match collation="i;unicode-casemap" match-type="contains">daboo</C:text-match>
       </C:prop-filter>
     </C:filter>`,
        PARTIAL,
      ),
    );
    assert.deepEqual(res.map((r) => r.href.slice(BOOK.length)).sort(), [
      'v102.vcf',
      'v104.vcf',
      'v106.vcf',
      'vcf102.vcf',
    ]);
    const v104 = res.find((r) => r.href.endsWith('/v104.vcf'));
    assert.deepEqual(cardLines(v104?.props.get(`{${CR}}address-data`)?.text ?? ''), [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'NICKNAME:oliver',
      'UID:34222-23222@example.com',
      'FN:Oliver Daboo',
      'EMAIL:oliver@example.com',
      'END:VCARD',
    ]);
  });

  it('§8.6.5 example / §8.6.2: nresults=2 truncates: 507 on the Request-URI (not counted) and two results', async () => {
    const res = await report(
      dav,
      BOOK,
      query(
        `<C:filter test="anyof">
       <C:prop-filter name="FN">
         <C:text-match collation="i;unicode-casemap" match-type="contains">daboo</C:text-match>
       </C:prop-filter>
     </C:filter>`,
        undefined,
        '<C:limit><C:nresults>2</C:nresults></C:limit>',
      ),
    );
    assert.equal(res.length, 3);
    const over = res.find((r) => r.href === BOOK);
    assert.equal(over?.status, 507);
    assert.equal(
      over?.error?.children
        .filter((c) => typeof c === 'object' && 'name' in c)
        .map((c) => (c as { name: string }).name)[0],
      `{${D}}number-of-matches-within-limits`,
    );
    assert.equal(res.filter((r) => r.href !== BOOK && r.props.get(`{${D}}getetag`)?.status === 200).length, 2);
  });

  it('§8.6.2: a limit at least the number of matches does not truncate', async () => {
    const res = await report(
      dav,
      BOOK,
      query(
        '<C:filter><C:prop-filter name="FN"><C:text-match>daboo</C:text-match></C:prop-filter></C:filter>',
        undefined,
        '<C:limit><C:nresults>3</C:nresults></C:limit>',
      ),
    );
    assert.equal(res.length, 3);
    assert.ok(res.every((r) => r.href !== BOOK));
  });

  it('§10.5.4 match types: equals, contains, starts-with, ends-with', async () => {
    const tm = (type: string, text: string) =>
      `<C:filter><C:prop-filter name="FN"><C:text-match match-type="${type}">${text}</C:text-match></C:prop-filter></C:filter>`;
    assert.deepEqual(await hrefs(tm('equals', 'cyrus daboo')), ['v102.vcf', 'vcf102.vcf']);
    assert.deepEqual(await hrefs(tm('starts-with', 'LISA')), ['v106.vcf']);
    assert.deepEqual(await hrefs(tm('ends-with', 'seaux')), ['v105.vcf']);
    assert.deepEqual(await hrefs(tm('contains', 'iver da')), ['v104.vcf']);
  });

  it('§8.3 collations: i;octet is case-sensitive, i;ascii-casemap folds only ASCII', async () => {
    const tm = (coll: string, text: string) =>
      `<C:filter><C:prop-filter name="FN"><C:text-match collation="${coll}" match-type="contains">${text}</C:text-match></C:prop-filter></C:filter>`;
    assert.deepEqual(await hrefs(tm('i;octet', 'daboo')), []);
    assert.deepEqual(await hrefs(tm('i;octet', 'Oliver')), ['v104.vcf']);
    assert.deepEqual(await hrefs(tm('i;ascii-casemap', 'OLIVER')), ['v104.vcf']);
  });

  it('§8.3: an unknown collation is CARDDAV:supported-collation', async () => {
    const res = await dav(BOOK, {
      method: 'REPORT',
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: query(
        '<C:filter><C:prop-filter name="FN"><C:text-match collation="i;klingon">x</C:text-match></C:prop-filter></C:filter>',
      ),
    });
    assert.equal(res.status, 403);
    assert.equal(errorElement(await res.text()), `{${CR}}supported-collation`);
  });

  it('§10.5.4 negate-condition: cards whose NICKNAME is not "me"', async () => {
    assert.deepEqual(
      await hrefs(
        '<C:filter><C:prop-filter name="NICKNAME"><C:text-match match-type="equals" negate-condition="yes">me</C:text-match></C:prop-filter></C:filter>',
      ),
      ['v104.vcf', 'v105.vcf'],
    );
  });

  it('§10.5.3 is-not-defined on a property: cards without NICKNAME', async () => {
    assert.deepEqual(
      await hrefs('<C:filter><C:prop-filter name="NICKNAME"><C:is-not-defined/></C:prop-filter></C:filter>'),
      ['v106.vcf'],
    );
  });

  it('§10.5.2 param-filter: EMAIL with TYPE=HOME; with is-not-defined; empty prop-filter = property exists', async () => {
    assert.deepEqual(
      await hrefs(
        '<C:filter><C:prop-filter name="EMAIL"><C:param-filter name="TYPE"><C:text-match match-type="equals">home</C:text-match></C:param-filter></C:prop-filter></C:filter>',
      ),
      ['v105.vcf'],
    );
    assert.deepEqual(
      await hrefs(
        '<C:filter><C:prop-filter name="EMAIL"><C:param-filter name="TYPE"><C:is-not-defined/></C:param-filter></C:prop-filter></C:filter>',
      ),
      ['v102.vcf', 'v104.vcf', 'vcf102.vcf'],
    );
    assert.deepEqual(await hrefs('<C:filter><C:prop-filter name="KIND"/></C:filter>'), ['v106.vcf']);
    assert.deepEqual(
      await hrefs(
        '<C:filter><C:prop-filter name="TEL"><C:param-filter name="TYPE"><C:text-match match-type="equals">voice</C:text-match></C:param-filter></C:prop-filter></C:filter>',
      ),
      ['v102.vcf'],
    );
  });

  it('§10.5 filter test="allof" and prop-filter test="allof"', async () => {
    assert.deepEqual(
      await hrefs(`<C:filter test="allof">
      <C:prop-filter name="FN"><C:text-match>daboo</C:text-match></C:prop-filter>
      <C:prop-filter name="NICKNAME"><C:text-match match-type="equals">oliver</C:text-match></C:prop-filter></C:filter>`),
      ['v104.vcf'],
    );
    assert.deepEqual(
      await hrefs(`<C:filter><C:prop-filter name="EMAIL" test="allof">
      <C:text-match>example.com</C:text-match><C:param-filter name="TYPE"/></C:prop-filter></C:filter>`),
      ['v105.vcf'],
    );
    assert.deepEqual(
      await hrefs(`<C:filter><C:prop-filter name="EMAIL" test="anyof">
      <C:text-match>daboo.example</C:text-match><C:param-filter name="TYPE"/></C:prop-filter></C:filter>`),
      ['v105.vcf', 'v106.vcf'],
    );
  });

  it('multi-valued CATEGORIES and a grouped property name', async () => {
    assert.deepEqual(
      await hrefs(
        '<C:filter><C:prop-filter name="CATEGORIES"><C:text-match>work</C:text-match></C:prop-filter></C:filter>',
      ),
      ['v106.vcf'],
    );
    assert.deepEqual(await hrefs('<C:filter><C:prop-filter name="X-NONE.FN"/></C:filter>'), []);
  });

  it('an empty filter matches every card; Depth: 0 on the book matches none', async () => {
    assert.equal((await hrefs('<C:filter/>')).length, Object.keys(EXAMPLE_CARDS).length);
    assert.equal((await report(dav, BOOK, query('<C:filter/>'), '0')).length, 0);
  });

  it('address-data with version="4.0" returns converted vCard 4.0; unsupported version is CARDDAV:supported-address-data', async () => {
    const res = await report(
      dav,
      BOOK,
      query(
        '<C:filter><C:prop-filter name="UID"><C:text-match match-type="equals">34222-5@example.com</C:text-match></C:prop-filter></C:filter>',
        '<D:prop><C:address-data content-type="text/vcard" version="4.0"/></D:prop>',
      ),
    );
    assert.equal(res.length, 1);
    assert.ok(cardLines(res[0]?.props.get(`{${CR}}address-data`)?.text ?? '').includes('VERSION:4.0'));
    const bad = await dav(BOOK, {
      method: 'REPORT',
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: query('<C:filter/>', '<D:prop><C:address-data content-type="text/vcard" version="2.1"/></D:prop>'),
    });
    assert.equal(bad.status, 403);
    assert.equal(errorElement(await bad.text()), `{${CR}}supported-address-data`);
  });
});
