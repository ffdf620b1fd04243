import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, CR, D, card, errorElement, propfind, putCard, type Dav } from './carddav-helpers.js';

/** §6.3.2's example card, byte for byte. */
const CYRUS = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Cyrus Daboo',
  'N:Daboo;Cyrus',
  'ADR;TYPE=POSTAL:;2822 Email HQ;Suite 2821;RFCVille;PA;15213;USA',
  'EMAIL;TYPE=INTERNET,PREF:cyrus@example.com',
  'NICKNAME:me',
  'NOTE:Example VCard.',
  'ORG:Self Employed',
  'TEL;TYPE=WORK,VOICE:412 605 0499',
  'TEL;TYPE=FAX:412 605 0705',
  'URL:http://www.example.com',
  'UID:1234-5678-9000-1',
  'END:VCARD',
  '',
].join('\r\n');

describe('RFC 6352 §6.3.2 creating address object resources', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
  });
  after(async () => server.close());

  /** A new address book of the calling test's own. */
  async function makeBook(name: string): Promise<string> {
    const book = `/dav/addressbooks/alice/${name}/`;
    const mk = await dav(book, {
      method: 'MKCOL',
      headers: { 'Content-Type': 'application/xml' },
      body: `<D:mkcol xmlns:D="DAV:" xmlns:C="${CR}"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>`,
    });
    assert.equal(mk.status, 201);
    return book;
  }

  /** An address book of the calling test's own holding the §6.3.2 example as newvcard.vcf. */
  async function bookWithExample(name: string): Promise<string> {
    const book = await makeBook(name);
    assert.equal((await putCard(dav, `${book}newvcard.vcf`, CYRUS)).status, 201);
    return book;
  }

  it('§6.3.2 example: PUT with If-None-Match: * creates the card, 201 with a strong ETag', async () => {
    const res = await putCard(dav, `${BOOK}newvcard.vcf`, CYRUS, {
      'If-None-Match': '*',
      'Content-Type': 'text/vcard',
    });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('etag') ?? '', /^"[^"]+"$/);
    const again = await putCard(dav, `${BOOK}newvcard.vcf`, CYRUS, { 'If-None-Match': '*' });
    assert.equal(again.status, 412);
  });

  it('§6.3.2.3: the data is kept as sent; GET in the same version returns the same octets and ETag', async () => {
    const book = await bookWithExample('kept');
    const res = await dav(`${book}newvcard.vcf`, { headers: { Accept: 'text/vcard; version=3.0' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), CYRUS);
    const [p] = await propfind(dav, `${book}newvcard.vcf`, '<D:getetag/><D:getcontenttype/>');
    assert.equal(p?.props.get(`{${D}}getetag`)?.text, res.headers.get('etag'));
    assert.match(p?.props.get(`{${D}}getcontenttype`)?.text ?? '', /^text\/vcard/);
  });

  it('§6.3.2.1 CARDDAV:valid-address-data: not a vCard, two cards, no UID, no FN, broken line', async () => {
    const bodies = [
      'hello',
      CYRUS + CYRUS.replace('UID:1234-5678-9000-1', 'UID:other'),
      CYRUS.replace('UID:1234-5678-9000-1\r\n', ''),
      CYRUS.replace('FN:Cyrus Daboo\r\n', ''),
      CYRUS.replace('NICKNAME:me', 'NICKNAME me'),
    ];
    for (const [i, body] of bodies.entries()) {
      const res = await putCard(dav, `${BOOK}bad${i}.vcf`, body);
      assert.equal(res.status, 403, `body ${i}`);
      assert.equal(errorElement(await res.text()), `{${CR}}valid-address-data`, `body ${i}`);
    }
  });

  it('RFC 6350 §3.3 / §6.3.2.1 CARDDAV:valid-address-data: a control character other than HTAB in a value is refused; HTAB and escaped line breaks are fine', async () => {
    for (const [i, ctl] of ['\u0007', '\u0000', '\u001b', '\u007f', '\r'].entries()) {
      const res = await putCard(
        dav,
        `${BOOK}ctl${i}.vcf`,
        CYRUS.replace('NOTE:Example VCard.', `NOTE:Example${ctl}VCard.`).replace(
          'UID:1234-5678-9000-1',
          `UID:ctl-${i}`,
        ),
      );
      const body = await res.text();
      assert.equal(res.status, 403, `U+${ctl.charCodeAt(0).toString(16)}: ${body}`);
      assert.equal(errorElement(body), `{${CR}}valid-address-data`);
      assert.equal((await dav(`${BOOK}ctl${i}.vcf`)).status, 404, 'nothing stored');
    }
    const ok = await putCard(
      dav,
      `${BOOK}tab.vcf`,
      CYRUS.replace('NOTE:Example VCard.', 'NOTE:Tab\there\\nand a second line').replace(
        'UID:1234-5678-9000-1',
        'UID:tab',
      ),
    );
    assert.equal(ok.status, 201, await ok.text());
  });

  it('§6.3.2.1 CARDDAV:supported-address-data: another media type or vCard 2.1', async () => {
    const ics = await dav(`${BOOK}cal.vcf`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
    });
    assert.equal(ics.status, 403);
    assert.equal(errorElement(await ics.text()), `{${CR}}supported-address-data`);
    const v21 = await putCard(
      dav,
      `${BOOK}v21.vcf`,
      CYRUS.replace('VERSION:3.0', 'VERSION:2.1').replace('UID:1234-5678-9000-1', 'UID:v21'),
    );
    assert.equal(v21.status, 403);
    assert.equal(errorElement(await v21.text()), `{${CR}}supported-address-data`);
  });

  it('§6.3.2.1 CARDDAV:no-uid-conflict: a second card with the UID names the first in DAV:href', async () => {
    const book = await bookWithExample('conflict');
    const res = await putCard(dav, `${book}copy.vcf`, CYRUS);
    assert.equal(res.status, 403);
    const text = await res.text();
    assert.equal(errorElement(text), `{${CR}}no-uid-conflict`);
    assert.match(text, /<D:href>\/dav\/addressbooks\/alice\/conflict\/newvcard\.vcf<\/D:href>/);
  });

  it('§6.3.2.1 CARDDAV:no-uid-conflict: replacing a card with one of another UID', async () => {
    const book = await bookWithExample('other-uid');
    const res = await putCard(dav, `${book}newvcard.vcf`, CYRUS.replace('UID:1234-5678-9000-1', 'UID:changed'));
    assert.equal(res.status, 403);
    assert.equal(errorElement(await res.text()), `{${CR}}no-uid-conflict`);
  });

  it('the same UID in another address book is fine (UIDs are unique per book, §5.1)', async () => {
    await bookWithExample('first');
    const second = await makeBook('second');
    assert.equal((await putCard(dav, `${second}c.vcf`, CYRUS)).status, 201);
  });

  it('replacing a card with If-Match and the same UID: 204 and a new ETag', async () => {
    const book = await bookWithExample('if-match');
    const etag = (await dav(`${book}newvcard.vcf`, { method: 'HEAD' })).headers.get('etag') ?? '';
    const res = await putCard(dav, `${book}newvcard.vcf`, CYRUS.replace('NOTE:Example VCard.', 'NOTE:Changed.'), {
      'If-Match': etag,
    });
    assert.equal(res.status, 204);
    assert.notEqual(res.headers.get('etag'), etag);
  });

  it('photos: a card with an inline photo up to max-resource-size is stored; a larger one is refused', async () => {
    const [p] = await propfind(dav, BOOK, '<CR:max-resource-size/>');
    const max = Number(p?.props.get(`{${CR}}max-resource-size`)?.text);
    const photo = (n: number) =>
      card(['VERSION:3.0', 'FN:Photo', `UID:photo-${n}`, `PHOTO;ENCODING=b;TYPE=JPEG:${'A'.repeat(n)}`]);
    const big = photo(1_000_000);
    const ok = await putCard(dav, `${BOOK}photo.vcf`, big);
    assert.equal(ok.status, 201);
    assert.equal(await (await dav(`${BOOK}photo.vcf`)).text(), big);
    const tooBig = await putCard(dav, `${BOOK}photo2.vcf`, photo(max + 1));
    assert.equal(tooBig.status, 403);
    assert.equal(errorElement(await tooBig.text()), `{${CR}}max-resource-size`);
  });

  it('vCard 4.0 and jCard bodies are accepted', async () => {
    assert.equal((await putCard(dav, `${BOOK}v4.vcf`, card(['VERSION:4.0', 'FN:Four', 'UID:urn:uuid:4']))).status, 201);
    const jcard = JSON.stringify([
      'vcard',
      [
        ['version', {}, 'text', '4.0'],
        ['fn', {}, 'text', 'Jay'],
        ['uid', {}, 'text', 'j-1'],
      ],
    ]);
    const res = await dav(`${BOOK}j.vcf`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/vcard+json' },
      body: jcard,
    });
    assert.equal(res.status, 201);
    assert.equal(await (await dav(`${BOOK}j.vcf`, { headers: { Accept: 'application/vcard+json' } })).text(), jcard);
  });
});
