import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, card, cardLines, putCard, type Dav } from './carddav-helpers.js';

const V3 = card([
  'VERSION:3.0',
  'N:Doe;Jane;;;',
  'FN:Jane Doe',
  'item1.EMAIL;TYPE=INTERNET,pref:jane@example.com',
  'item1.X-ABLabel:_$!<Other>!$_',
  'TEL;TYPE=CELL:+1 555 0100',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ',
  'BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-06',
  'X-SOCIALPROFILE;type=twitter:https://twitter.com/jane',
  'NOTE:multi\\nline\\, with comma',
  'UID:jane-1',
]);
const V4 = card([
  'VERSION:4.0',
  'FN:Max',
  'N:Mustermann;Max;;;',
  'EMAIL;PREF=1:max@example.com',
  'PHOTO:data:image/png;base64,iVBORw0K',
  'BDAY:--1224',
  'GENDER:M',
  'UID:urn:uuid:max-1',
]);

describe('RFC 6352 §5.1.1 data type conversion (content negotiation)', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
    assert.equal((await putCard(dav, `${BOOK}jane.vcf`, V3)).status, 201);
    assert.equal((await putCard(dav, `${BOOK}max.vcf`, V4)).status, 201);
  });
  after(async () => server.close());

  it('Accept: text/vcard; version=4.0 converts a 3.0 card, keeping every field', async () => {
    const res = await dav(`${BOOK}jane.vcf`, { headers: { Accept: 'text/vcard; version=4.0' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /version=4\.0/);
    const l = cardLines(await res.text());
    for (const want of [
      'VERSION:4.0',
      'item1.EMAIL;TYPE=INTERNET;PREF=1:jane@example.com',
      'item1.X-ABLABEL:_$!<Other>!$_',
      'PHOTO:data:image/jpeg;base64,/9j/4AAQ',
      'BDAY:--0506',
      'X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/jane',
      'NOTE:multi\\nline\\, with comma',
      'TEL;TYPE=CELL:+1 555 0100',
      'UID:jane-1',
    ]) {
      assert.ok(
        l.some((x) => x.toUpperCase() === want.toUpperCase()),
        `${want}\n${l.join('\n')}`,
      );
    }
  });

  it('a client that does not ask for a version gets vCard 3.0, converted from a stored 4.0 card', async () => {
    const res = await dav(`${BOOK}max.vcf`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/vcard/);
    const l = cardLines(await res.text());
    for (const want of [
      'VERSION:3.0',
      'EMAIL;TYPE=pref:max@example.com',
      'PHOTO;ENCODING=b;TYPE=PNG:iVBORw0K',
      'BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-24',
      'X-GENDER:M',
      'UID:urn:uuid:max-1',
    ])
      assert.ok(l.includes(want), `${want}\n${l.join('\n')}`);
  });

  it('Accept: text/vcard; version=4.0 on a 4.0 card returns it as stored; the ETag is the stored one', async () => {
    const res = await dav(`${BOOK}max.vcf`, { headers: { Accept: 'text/vcard;version=4.0' } });
    assert.equal(await res.text(), V4);
    assert.equal(res.headers.get('vary'), 'Accept');
  });

  it('Accept: application/vcard+json gives jCard (RFC 7095)', async () => {
    const res = await dav(`${BOOK}jane.vcf`, { headers: { Accept: 'application/vcard+json' } });
    assert.match(res.headers.get('content-type') ?? '', /^application\/vcard\+json/);
    const j = (await res.json()) as [string, [string, Record<string, unknown>, string, ...unknown[]][]];
    assert.equal(j[0], 'vcard');
    assert.deepEqual(
      j[1].find((p) => p[0] === 'n'),
      ['n', {}, 'text', ['Doe', 'Jane', '', '', '']],
    );
    assert.deepEqual(
      j[1].find((p) => p[0] === 'email'),
      ['email', { group: 'item1', type: 'INTERNET', pref: '1' }, 'text', 'jane@example.com'],
    );
  });

  it('GET on the address book exports every card as one .vcf in the negotiated version', async () => {
    const res = await dav(BOOK);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/vcard/);
    assert.match(res.headers.get('content-disposition') ?? '', /\.vcf/);
    const text = await res.text();
    assert.equal(text.match(/BEGIN:VCARD/g)?.length, 2);
    assert.equal(text.match(/VERSION:3\.0/g)?.length, 2);
    const v4 = await (await dav(BOOK, { headers: { Accept: 'text/vcard; version=4.0' } })).text();
    assert.equal(v4.match(/VERSION:4\.0/g)?.length, 2);
  });
});
