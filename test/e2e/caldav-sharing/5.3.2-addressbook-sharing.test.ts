/**
 * Issue #17 item 5: address books are shared the same way as calendars (caldav-sharing §5.3.2,
 * §5.4.1 applied to CardDAV collections): the invitation, the instance in the sharee's address
 * book home, and reads, writes, multiget and sync-collection through it under its own hrefs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { invitations, propfind, shareAndAccept, XML } from './sharing-steps.js';

const SHARED = '/dav/addressbooks/alice/default/';
const card = (uid: string, fn: string): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;
const VCF = { 'Content-Type': 'text/vcard; charset=utf-8' };

describe('address book sharing (issue #17 item 5)', () => {
  let server: TestServer;
  let instance = '';
  before(async () => {
    server = await startTestServer();
    await davFetch(server.url, 'alice')(`${SHARED}ann.vcf`, { method: 'PUT', headers: VCF, body: card('ann', 'Ann') });
    instance = await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read-write');
  });
  after(async () => server.close());

  it('the invitation names an address book, and the instance is in the sharee’s address book home', async () => {
    const [invite] = await invitations(server.url, 'bob');
    assert.match(invite?.xml ?? '', /<CS:invite-notification shared-type="addressbook">/);
    assert.match(instance, /^\/dav\/addressbooks\/bob\/[^/]+\/$/);
    const home = await propfind(
      server.url,
      'bob',
      '/dav/addressbooks/bob/',
      '<D:resourcetype/><D:owner/><D:current-user-privilege-set/><D:sync-token/>',
      '1',
    );
    const response = home.split('<D:response>').find((r) => r.includes(`<D:href>${instance}</D:href>`));
    assert.ok(response);
    assert.match(response, /<D:resourcetype><D:collection\/><CR:addressbook\/><CS:shared\/><\/D:resourcetype>/);
    assert.match(response, /<D:owner><D:href>\/dav\/principals\/users\/alice\/<\/D:href><\/D:owner>/);
    assert.match(response, /<D:write-content\/>/);
  });

  it('the sharee reads, adds a card, and multiget and sync-collection answer the instance’s hrefs', async () => {
    const bob = davFetch(server.url, 'bob');
    assert.match(await (await bob(`${instance}ann.vcf`)).text(), /FN:Ann/);
    assert.equal(
      (await bob(`${instance}ben.vcf`, { method: 'PUT', headers: VCF, body: card('ben', 'Ben') })).status,
      201,
    );
    assert.match(await (await davFetch(server.url, 'alice')(`${SHARED}ben.vcf`)).text(), /FN:Ben/);
    const multiget =
      '<?xml version="1.0"?><CR:addressbook-multiget xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">' +
      `<D:prop><D:getetag/><CR:address-data/></D:prop><D:href>${instance}ann.vcf</D:href><D:href>${instance}ben.vcf</D:href></CR:addressbook-multiget>`;
    const mg = await (
      await bob(instance, { method: 'REPORT', headers: { ...XML, Depth: '1' }, body: multiget })
    ).text();
    assert.equal(mg.match(/FN:/g)?.length, 2);
    const sync =
      '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';
    const text = await (await bob(instance, { method: 'REPORT', headers: XML, body: sync })).text();
    assert.match(text, new RegExp(`<D:response><D:href>${instance}ben.vcf</D:href>`));
    assert.doesNotMatch(text, /addressbooks\/alice/);
  });
});
