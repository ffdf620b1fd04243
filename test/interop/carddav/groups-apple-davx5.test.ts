/**
 * Contact groups across clients: a group made in macOS/iOS Contacts (vCard 3,
 * X-ADDRESSBOOKSERVER-KIND/MEMBER) reaches DAVx5 as vCard 4 KIND/MEMBER, and a DAVx5 group
 * (vCard 4) reaches the Mac in Apple's form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const BOOK = '/dav/addressbooks/alice/default/';
const multiget = (
  attrs: string,
  href: string,
) => `<?xml version="1.0"?><C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data${attrs}/></D:prop><D:href>${BOOK}${href}</D:href></C:addressbook-multiget>`;
const lines = (xml: string) =>
  xml
    .replace(/&#13;|\r/g, '')
    .replace(/\n[ \t]/g, '')
    .split('\n');

describe('interop: contact groups between Apple Contacts and DAVx5', () => {
  let server: TestServer;
  let dav: ReturnType<typeof davFetch>;
  const report = async (body: string) => {
    const res = await dav(BOOK, { method: 'REPORT', headers: { Depth: '1', 'Content-Type': 'application/xml' }, body });
    assert.equal(res.status, 207);
    return lines(await res.text());
  };
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
    const put = (name: string, body: string) =>
      dav(BOOK + name, { method: 'PUT', headers: { 'Content-Type': 'text/vcard' }, body });
    assert.equal(
      (
        await put(
          'mac-group.vcf',
          'BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//Mac OS X 10.15.7//EN\r\nN:Soccer\r\nFN:Soccer\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p1\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p2\r\nREV:2024-03-01T10:00:00Z\r\nUID:mac-group\r\nEND:VCARD\r\n',
        )
      ).status,
      201,
    );
    assert.equal(
      (
        await put(
          'davx5-group.vcf',
          'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:davx5-group\r\nPRODID:+//IDN bitfire.at//ez-vcard 0.12.1\r\nKIND:group\r\nFN:Family\r\nMEMBER:urn:uuid:p3\r\nEND:VCARD\r\n',
        )
      ).status,
      201,
    );
  });
  after(async () => server.close());

  it('the Mac group reaches DAVx5 (address-data version 4.0) as KIND:group with MEMBERs', async () => {
    const l = await report(multiget(' content-type="text/vcard" version="4.0"', 'mac-group.vcf'));
    assert.ok(l.includes('KIND:group'), l.join('\n'));
    assert.ok(l.includes('MEMBER:urn:uuid:p1') && l.includes('MEMBER:urn:uuid:p2'));
    assert.ok(!l.some((x) => x.startsWith('X-ADDRESSBOOKSERVER-')));
  });

  it('the DAVx5 group reaches the Mac (no version asked = 3.0) in Apple form', async () => {
    const l = await report(multiget('', 'davx5-group.vcf'));
    assert.ok(l.includes('VERSION:3.0'), l.join('\n'));
    assert.ok(l.includes('X-ADDRESSBOOKSERVER-KIND:group'));
    assert.ok(l.includes('X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p3'));
    assert.ok(l.includes('FN:Family'));
  });

  it('a plain GET from the Mac gets the Apple form too', async () => {
    const text = await (await dav(`${BOOK}davx5-group.vcf`)).text();
    assert.match(text, /X-ADDRESSBOOKSERVER-KIND:group/);
  });
});
