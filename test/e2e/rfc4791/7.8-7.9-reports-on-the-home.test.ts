/**
 * RFC 4791 §7.8, §7.9 and RFC 6352 §8.6, §8.7 on a user's home: a multiget names objects "at
 * any depth within the collection", so hrefs in several calendars (or address books) work from
 * the home; a query with Depth: 1 or infinity on the home searches every calendar (book) in it;
 * Depth: 0 is the home alone, which holds no object.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch } from '../../helpers/server.js';
import { event, mkcalendar, names, put, query, report, startCalServer, type CalServer } from './caldav-client.js';

const HOME = '/dav/calendars/alice/';
const ABHOME = '/dav/addressbooks/alice/';
let s: CalServer;
before(async () => {
  s = await startCalServer();
  assert.equal((await mkcalendar(s.fetch, `${HOME}work/`)).status, 201);
  assert.equal(
    (await put(s.fetch, `${HOME}default/home-a.ics`, event('home-a', '20240301T100000Z', '20240301T110000Z'))).status,
    201,
  );
  assert.equal(
    (await put(s.fetch, `${HOME}work/home-b.ics`, event('home-b', '20240302T100000Z', '20240302T110000Z'))).status,
    201,
  );
  assert.equal(
    (await put(s.fetch, `${HOME}work/home-c.ics`, event('home-c', '20250101T100000Z', '20250101T110000Z'))).status,
    201,
  );
  const dav = davFetch(s.server.url, 'alice');
  const mk = await dav(`${ABHOME}friends/`, {
    method: 'MKCOL',
    headers: { 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>',
  });
  assert.equal(mk.status, 201);
  for (const [path, fn] of [
    [`${ABHOME}default/ann.vcf`, 'Ann Home'],
    [`${ABHOME}friends/bob.vcf`, 'Bob Home'],
  ]) {
    const res = await dav(path!, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/vcard' },
      body: `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${fn}\r\nFN:${fn}\r\nN:;;;;\r\nEND:VCARD\r\n`,
    });
    assert.equal(res.status, 201);
  }
});
after(() => s.close());

const C = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';
const CR = 'xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"';

describe('object reports on the calendar home and the address-book home', () => {
  it('RFC 4791 §7.9: calendar-multiget on the home answers hrefs in two calendars; one outside the home is 404', async () => {
    const body =
      `<?xml version="1.0"?><C:calendar-multiget ${C}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
      `<D:href>${HOME}default/home-a.ics</D:href><D:href>${HOME}work/home-b.ics</D:href><D:href>/dav/calendars/bob/default/x.ics</D:href></C:calendar-multiget>`;
    const res = await report(s.fetch, HOME, body, null);
    assert.equal(res.status, 207, res.text);
    assert.deepEqual(names(res.xml), ['home-a.ics', 'home-b.ics', 'x.ics']);
    assert.match(res.text, /UID:home-a/);
    assert.match(res.text, /UID:home-b/);
    assert.match(
      res.text,
      /<D:href>\/dav\/calendars\/bob\/default\/x\.ics<\/D:href><D:status>HTTP\/1\.1 404 Not Found<\/D:status>/,
    );
  });

  it('RFC 4791 §7.8: calendar-query on the home with Depth 1 or infinity searches every calendar; Depth 0 finds nothing', async () => {
    const q = query(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240301T000000Z" end="20240401T000000Z"/></C:comp-filter></C:comp-filter>',
    );
    for (const depth of ['1', 'infinity'])
      assert.deepEqual(
        names((await report(s.fetch, HOME, q, depth)).xml),
        ['home-a.ics', 'home-b.ics'],
        `Depth ${depth}`,
      );
    assert.deepEqual(names((await report(s.fetch, HOME, q, '0')).xml), []);
  });

  it('RFC 6352 §8.7 and §8.6: addressbook-multiget and addressbook-query on the address-book home', async () => {
    const mg = `<?xml version="1.0"?><CR:addressbook-multiget ${CR}><D:prop><D:getetag/></D:prop><D:href>${ABHOME}default/ann.vcf</D:href><D:href>${ABHOME}friends/bob.vcf</D:href></CR:addressbook-multiget>`;
    const res = await report(s.fetch, ABHOME, mg, null);
    assert.equal(res.status, 207, res.text);
    assert.deepEqual(names(res.xml), ['ann.vcf', 'bob.vcf']);
    assert.doesNotMatch(res.text, /404/);
    const q = `<?xml version="1.0"?><CR:addressbook-query ${CR}><D:prop><D:getetag/></D:prop><CR:filter><CR:prop-filter name="FN"><CR:text-match>Home</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>`;
    assert.deepEqual(names((await report(s.fetch, ABHOME, q, '1')).xml), ['ann.vcf', 'bob.vcf']);
    assert.deepEqual(names((await report(s.fetch, ABHOME, q, '0')).xml), []);
  });
});
