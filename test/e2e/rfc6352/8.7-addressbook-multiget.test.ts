import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, CR, D, cardLines, putCard, report, type Dav } from './carddav-helpers.js';
import { EXAMPLE_CARDS } from './rfc-example-data.js';

describe('RFC 6352 §8.7 CARDDAV:addressbook-multiget', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
    for (const [name, body] of Object.entries(EXAMPLE_CARDS))
      assert.equal((await putCard(dav, BOOK + name, body)).status, 201);
  });
  after(async () => server.close());

  it('§8.7.1 example: partial address data of vcf102, 404 for the missing vcf1', async () => {
    const res = await report(
      dav,
      BOOK,
      `<?xml version="1.0" encoding="utf-8" ?>
   <C:addressbook-multiget xmlns:D="DAV:"
                        xmlns:C="urn:ietf:params:xml:ns:carddav">
     <D:prop>
       <D:getetag/>
       <C:address-data>
         <C:prop name="VERSION"/>
         <C:prop name="UID"/>
         <C:prop name="NICKNAME"/>
         <C:prop name="EMAIL"/>
         <C:prop name="FN"/>
       </C:address-data>
     </D:prop>
     <D:href>${BOOK}vcf102.vcf</D:href>
     <D:href>${BOOK}vcf1.vcf</D:href>
   </C:addressbook-multiget>`,
    );
    assert.equal(res.length, 2);
    const found = res.find((r) => r.href === `${BOOK}vcf102.vcf`);
    assert.match(found?.props.get(`{${D}}getetag`)?.text ?? '', /^"/);
    assert.deepEqual(cardLines(found?.props.get(`{${CR}}address-data`)?.text ?? ''), [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'NICKNAME:me',
      'UID:34222-232-b@example.com',
      'FN:Cyrus Daboo',
      'EMAIL:daboo@example.com',
      'END:VCARD',
    ]);
    assert.equal(res.find((r) => r.href === `${BOOK}vcf1.vcf`)?.status, 404);
  });

  it('§8.7.2 example request: address-data content-type text/vcard version 4.0 (we can convert, so 200)', async () => {
    const res = await report(
      dav,
      BOOK,
      `<?xml version="1.0" encoding="utf-8" ?>
   <C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
     <D:prop><D:getetag/><C:address-data content-type='text/vcard' version='4.0'/></D:prop>
     <D:href>${BOOK}v102.vcf</D:href>
   </C:addressbook-multiget>`,
    );
    const data = res[0]?.props.get(`{${CR}}address-data`);
    assert.equal(data?.status, 200);
    assert.equal(data?.el.attrs['{}version'], '4.0');
    const lines = cardLines(data?.text ?? '');
    assert.ok(lines.includes('VERSION:4.0'));
    assert.ok(lines.includes('NOTE:not asked for'), 'whole card when no C:prop is named');
  });

  it('jCard through address-data content-type="application/vcard+json"', async () => {
    const res = await report(
      dav,
      BOOK,
      `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="${CR}">
     <D:prop><C:address-data content-type="application/vcard+json"/></D:prop><D:href>${BOOK}v104.vcf</D:href></C:addressbook-multiget>`,
    );
    const j = JSON.parse(res[0]?.props.get(`{${CR}}address-data`)?.text ?? '') as [string, unknown[][]];
    assert.equal(j[0], 'vcard');
    assert.ok(j[1].some((p) => p[0] === 'fn' && p[3] === 'Oliver Daboo'));
  });

  it('novalue="yes" returns the name, parameters and ":" only (§10.4.2)', async () => {
    const res = await report(
      dav,
      BOOK,
      `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="${CR}">
     <D:prop><C:address-data><C:prop name="TEL" novalue="yes"/><C:prop name="FN"/></C:address-data></D:prop>
     <D:href>${BOOK}v102.vcf</D:href></C:addressbook-multiget>`,
    );
    assert.deepEqual(cardLines(res[0]?.props.get(`{${CR}}address-data`)?.text ?? ''), [
      'BEGIN:VCARD',
      'FN:Cyrus Daboo',
      'TEL;TYPE=WORK,VOICE:',
      'END:VCARD',
    ]);
  });

  it('hrefs outside the request URI, percent-encoded and absolute ones', async () => {
    const res = await report(
      dav,
      BOOK,
      `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="${CR}">
     <D:prop><D:getetag/></D:prop>
     <D:href>/dav/addressbooks/bob/default/x.vcf</D:href>
     <D:href>${BOOK}v10%34.vcf</D:href>
     <D:href>http://example.com${BOOK}v105.vcf</D:href></C:addressbook-multiget>`,
    );
    assert.equal(res[0]?.status, 404);
    assert.equal(res[1]?.props.get(`{${D}}getetag`)?.status, 200);
    assert.equal(res[2]?.props.get(`{${D}}getetag`)?.status, 200);
  });

  it('a 100-href multiget answers every card', async () => {
    for (let i = 0; i < 100; i++) {
      await putCard(dav, `${BOOK}m${i}.vcf`, `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:M ${i}\r\nUID:m-${i}\r\nEND:VCARD\r\n`);
    }
    const hrefs = Array.from({ length: 100 }, (_v, i) => `<D:href>${BOOK}m${i}.vcf</D:href>`).join('');
    const res = await report(
      dav,
      BOOK,
      `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="${CR}"><D:prop><D:getetag/><C:address-data/></D:prop>${hrefs}</C:addressbook-multiget>`,
    );
    assert.equal(res.length, 100);
    assert.ok(res.every((r) => r.props.get(`{${CR}}address-data`)?.status === 200));
  });
});

describe('RFC 6352 §6.3.2.1 COPY and MOVE keep cards searchable', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
    assert.equal((await putCard(dav, `${BOOK}v104.vcf`, EXAMPLE_CARDS['v104.vcf'] ?? '')).status, 201);
    const mk = await dav('/dav/addressbooks/alice/other/', {
      method: 'MKCOL',
      headers: { 'Content-Type': 'application/xml' },
      body: `<D:mkcol xmlns:D="DAV:" xmlns:C="${CR}"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>`,
    });
    assert.equal(mk.status, 201);
  });
  after(async () => server.close());

  const search = (book: string) =>
    report(
      dav,
      book,
      `<C:addressbook-query xmlns:D="DAV:" xmlns:C="${CR}"><D:prop><D:getetag/></D:prop>
    <C:filter><C:prop-filter name="FN"><C:text-match>oliver</C:text-match></C:prop-filter></C:filter></C:addressbook-query>`,
    );

  it('a copied card is found by addressbook-query in the target book, a moved one in its new book', async () => {
    const copy = await dav(`${BOOK}v104.vcf`, {
      method: 'COPY',
      headers: { Destination: `${server.url}/dav/addressbooks/alice/other/copy.vcf` },
    });
    assert.equal(copy.status, 201);
    assert.deepEqual(
      (await search('/dav/addressbooks/alice/other/')).map((r) => r.href),
      ['/dav/addressbooks/alice/other/copy.vcf'],
    );
    const card = (EXAMPLE_CARDS['v104.vcf'] ?? '').replace(/UID:[^\r\n]+/, 'UID:moved-oliver');
    assert.equal((await putCard(dav, '/dav/addressbooks/alice/other/second.vcf', card)).status, 201);
    const move = await dav('/dav/addressbooks/alice/other/second.vcf', {
      method: 'MOVE',
      headers: { Destination: `${server.url}${BOOK}moved.vcf`, Overwrite: 'T' },
    });
    assert.equal(move.status, 201);
    assert.deepEqual(
      (await search('/dav/addressbooks/alice/other/')).map((r) => r.href),
      ['/dav/addressbooks/alice/other/copy.vcf'],
    );
    assert.deepEqual((await search(BOOK)).map((r) => r.href).sort(), [`${BOOK}moved.vcf`, `${BOOK}v104.vcf`]);
  });

  it('COPY or MOVE of a card whose UID the target book holds already: 403 CARDDAV:no-uid-conflict, nothing changes', async () => {
    const move = await dav('/dav/addressbooks/alice/other/copy.vcf', {
      method: 'MOVE',
      headers: { Destination: `${server.url}${BOOK}dup.vcf` },
    });
    assert.equal(move.status, 403);
    assert.match(await move.text(), /no-uid-conflict/);
    assert.equal((await dav('/dav/addressbooks/alice/other/copy.vcf')).status, 200);
    assert.equal((await dav(`${BOOK}dup.vcf`)).status, 404);
  });
});
