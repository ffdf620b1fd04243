import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, CR, D, card, errorElement, parseMultistatus, propfind, putCard, type Dav } from './carddav-helpers.js';

const CS = 'http://calendarserver.org/ns/';

describe('RFC 6352 §6.2 address book properties', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
  });
  after(async () => server.close());

  it('§6.2.2 supported-address-data lists vCard 3.0, 4.0 and jCard', async () => {
    const [r] = await propfind(dav, BOOK, '<CR:supported-address-data/>');
    const p = r?.props.get(`{${CR}}supported-address-data`);
    assert.equal(p?.status, 200);
    const types = (p?.el.children ?? [])
      .filter((c) => typeof c === 'object' && 'name' in c)
      .map((c) => {
        const e = c as { attrs: Record<string, string> };
        return `${e.attrs['{}content-type']} ${e.attrs['{}version']}`;
      });
    assert.deepEqual(types, ['text/vcard 3.0', 'text/vcard 4.0', 'application/vcard+json 4.0']);
  });

  it('§6.2.3 max-resource-size is a positive integer; §8.3.1 supported-collation-set has the required collations', async () => {
    const [r] = await propfind(dav, BOOK, '<CR:max-resource-size/><CR:supported-collation-set/>');
    assert.match(r?.props.get(`{${CR}}max-resource-size`)?.text ?? '', /^[1-9]\d*$/);
    const coll = r?.props.get(`{${CR}}supported-collation-set`)?.text ?? '';
    assert.match(coll, /i;ascii-casemap/);
    assert.match(coll, /i;unicode-casemap/);
  });

  it('supported-report-set includes addressbook-query, addressbook-multiget and sync-collection', async () => {
    const [r] = await propfind(dav, BOOK, '<D:supported-report-set/>');
    const xml = JSON.stringify(r?.props.get(`{${D}}supported-report-set`)?.el);
    for (const name of [`{${CR}}addressbook-query`, `{${CR}}addressbook-multiget`, `{${D}}sync-collection`])
      assert.ok(xml.includes(name), name);
  });

  it('getctag and sync-token change when a card is added', async () => {
    const props = '<CS:getctag/><D:sync-token/>';
    const [before1] = await propfind(dav, BOOK, props);
    assert.equal((await putCard(dav, `${BOOK}ctag.vcf`, card(['VERSION:3.0', 'FN:C Tag', 'UID:ctag-1']))).status, 201);
    const [after1] = await propfind(dav, BOOK, props);
    assert.notEqual(after1?.props.get(`{${CS}}getctag`)?.text, before1?.props.get(`{${CS}}getctag`)?.text);
    assert.notEqual(after1?.props.get(`{${D}}sync-token`)?.text, before1?.props.get(`{${D}}sync-token`)?.text);
  });

  it('§6.2.1 addressbook-description and displayname are writable by PROPPATCH', async () => {
    const body = `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:CR="${CR}"><D:set><D:prop>
      <D:displayname>Work</D:displayname><CR:addressbook-description xml:lang="en">Colleagues</CR:addressbook-description>
      </D:prop></D:set></D:propertyupdate>`;
    const res = await dav(BOOK, { method: 'PROPPATCH', headers: { 'Content-Type': 'application/xml' }, body });
    assert.equal(res.status, 207);
    const [r] = parseMultistatus(await res.text());
    assert.equal(r?.props.get(`{${CR}}addressbook-description`)?.status, 200);
    const [got] = await propfind(dav, BOOK, '<D:displayname/><CR:addressbook-description/>');
    assert.equal(got?.props.get(`{${D}}displayname`)?.text, 'Work');
    assert.equal(got?.props.get(`{${CR}}addressbook-description`)?.text, 'Colleagues');
  });

  it('§6.2.2/§6.2.3: supported-address-data and max-resource-size are protected', async () => {
    const body = `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:CR="${CR}"><D:set><D:prop>
      <CR:max-resource-size>1</CR:max-resource-size></D:prop></D:set></D:propertyupdate>`;
    const res = await dav(BOOK, { method: 'PROPPATCH', headers: { 'Content-Type': 'application/xml' }, body });
    const [r] = parseMultistatus(await res.text());
    assert.equal(r?.props.get(`{${CR}}max-resource-size`)?.status, 403);
  });
});

describe('RFC 6352 §6.3.1 creating address books (RFC 5689 extended MKCOL)', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
  });
  after(async () => server.close());

  it('§6.3.1.1 example: MKCOL with resourcetype, displayname and addressbook-description', async () => {
    const body = `<?xml version="1.0" encoding="utf-8" ?>
   <D:mkcol xmlns:D="DAV:"
                 xmlns:C="urn:ietf:params:xml:ns:carddav">
     <D:set>
       <D:prop>
         <D:resourcetype>
           <D:collection/>
           <C:addressbook/>
         </D:resourcetype>
         <D:displayname>Lisa's Contacts</D:displayname>
         <C:addressbook-description xml:lang="en"
   >My primary address book.</C:addressbook-description>
       </D:prop>
     </D:set>
   </D:mkcol>`;
    const res = await dav('/dav/addressbooks/alice/lisa/', {
      method: 'MKCOL',
      headers: { 'Content-Type': 'text/xml; charset="utf-8"' },
      body,
    });
    assert.equal(res.status, 201, await res.text());
    const [r] = await propfind(
      dav,
      '/dav/addressbooks/alice/lisa/',
      '<D:resourcetype/><D:displayname/><CR:addressbook-description/><CR:supported-address-data/>',
    );
    assert.match(JSON.stringify(r?.props.get(`{${D}}resourcetype`)?.el), /carddav\}addressbook/);
    assert.equal(r?.props.get(`{${D}}displayname`)?.text, "Lisa's Contacts");
    assert.equal(r?.props.get(`{${CR}}addressbook-description`)?.text, 'My primary address book.');
    assert.equal(r?.props.get(`{${CR}}supported-address-data`)?.status, 200);
    // The new book validates what is PUT into it.
    const bad = await putCard(dav, '/dav/addressbooks/alice/lisa/x.vcf', 'not a vcard');
    assert.equal(bad.status, 403);
    assert.equal(errorElement(await bad.text()), `{${CR}}valid-address-data`);
  });

  it('a refused initial property creates nothing (RFC 5689 §3)', async () => {
    const body = `<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="${CR}"><D:set><D:prop>
      <D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
      <C:supported-address-data><C:address-data-type content-type="text/vcard" version="3.0"/></C:supported-address-data>
      </D:prop></D:set></D:mkcol>`;
    const res = await dav('/dav/addressbooks/alice/refused/', {
      method: 'MKCOL',
      headers: { 'Content-Type': 'application/xml' },
      body,
    });
    assert.equal(res.status, 403);
    assert.equal(
      (await dav('/dav/addressbooks/alice/refused/', { method: 'PROPFIND', headers: { Depth: '0' } })).status,
      404,
    );
  });

  it('plain MKCOL makes an ordinary collection (not an address book)', async () => {
    assert.equal((await dav('/dav/addressbooks/alice/plain/', { method: 'MKCOL' })).status, 201);
    const [r] = await propfind(dav, '/dav/addressbooks/alice/plain/', '<D:resourcetype/>');
    assert.doesNotMatch(JSON.stringify(r?.props.get(`{${D}}resourcetype`)?.el), /carddav/);
  });
});
