/**
 * The object reports of CalDAV and CardDAV answer alike (one pipeline, dav/core/object-report.ts):
 *
 * - RFC 4791 §9.5/§9.10 and RFC 6352 §10.3/§10.7 make DAV:prop optional; the reports are modelled
 *   on PROPFIND (RFC 4791 §7.8), and a PROPFIND without a body means allprop (RFC 4918 §9.1), so
 *   all four reports answer allprop without one (calendar reports used to answer getetag only).
 * - RFC 4791 §7.9 calendar-multiget has the same href limit as RFC 6352 §8.7 addressbook-multiget.
 * - the data property sits in the 200 propstat with the other found properties, and a property
 *   that is not there is 404, for calendar-data and address-data alike (RFC 4918 §9.1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const CAL = '/dav/calendars/alice/default/';
const BOOK = '/dav/addressbooks/alice/default/';
const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="urn:ietf:params:xml:ns:carddav"';
const EVENT =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:ev-1\r\nDTSTAMP:20240101T000000Z\r\n' +
  'DTSTART:20240105T100000Z\r\nDTEND:20240105T110000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
const CARD = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n';

let server: TestServer;
let dav: ReturnType<typeof davFetch>;

async function report(path: string, body: string): Promise<{ status: number; text: string }> {
  const res = await dav(path, {
    method: 'REPORT',
    headers: { 'Content-Type': 'application/xml; charset=utf-8', Depth: '1' },
    body,
  });
  return { status: res.status, text: await res.text() };
}

before(async () => {
  server = await startTestServer();
  dav = davFetch(server.url);
  assert.equal(
    (await dav(`${CAL}ev.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: EVENT })).status,
    201,
  );
  assert.equal(
    (await dav(`${BOOK}c.vcf`, { method: 'PUT', headers: { 'Content-Type': 'text/vcard' }, body: CARD })).status,
    201,
  );
});
after(() => server.close());

const REPORTS: readonly { readonly name: string; readonly path: string; readonly body: (prop: string) => string }[] = [
  {
    name: 'RFC 4791 §7.9 calendar-multiget',
    path: CAL,
    body: (p) => `<C:calendar-multiget ${NS}>${p}<D:href>${CAL}ev.ics</D:href></C:calendar-multiget>`,
  },
  {
    name: 'RFC 4791 §7.8 calendar-query',
    path: CAL,
    body: (p) =>
      `<C:calendar-query ${NS}>${p}<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`,
  },
  {
    name: 'RFC 6352 §8.7 addressbook-multiget',
    path: BOOK,
    body: (p) => `<A:addressbook-multiget ${NS}>${p}<D:href>${BOOK}c.vcf</D:href></A:addressbook-multiget>`,
  },
  {
    name: 'RFC 6352 §8.6 addressbook-query',
    path: BOOK,
    body: (p) => `<A:addressbook-query ${NS}>${p}<A:filter/></A:addressbook-query>`,
  },
];

describe('RFC 4918 §9.1: object reports answer as PROPFIND does', () => {
  for (const r of REPORTS) {
    it(`${r.name} without DAV:prop answers allprop`, async () => {
      const res = await report(r.path, r.body(''));
      assert.equal(res.status, 207, res.text);
      assert.match(res.text, /<D:getetag>/);
      assert.match(
        res.text,
        /<D:getcontentlength>\d+<\/D:getcontentlength>/,
        'allprop has getcontentlength (RFC 4918 §15.4)',
      );
      assert.match(res.text, /<D:getlastmodified>/);
      assert.doesNotMatch(
        res.text,
        /calendar-data|address-data/,
        'no data without asking (RFC 4791 §9.6, RFC 6352 §10.4)',
      );
    });

    it(`${r.name}: the data property is among the found properties, a missing one 404`, async () => {
      const data = r.path === CAL ? '<C:calendar-data/>' : '<A:address-data/>';
      const res = await report(r.path, r.body(`<D:prop><D:getetag/>${data}<D:x-missing/></D:prop>`));
      assert.equal(res.status, 207, res.text);
      assert.equal(res.text.match(/<D:propstat>/g)?.length, 2, res.text);
      assert.match(res.text, /<D:prop><D:getetag>[^<]+<\/D:getetag><[A-Z]+:(calendar|address)-data( [^>]*)?>BEGIN:/);
      assert.match(res.text, /<D:prop><D:x-missing\/><\/D:prop><D:status>HTTP\/1.1 404 Not Found/);
    });
  }
});

describe('RFC 4791 §7.9 / RFC 6352 §8.7: one href limit for both multigets', () => {
  for (const r of REPORTS.filter((x) => x.name.includes('multiget'))) {
    it(`${r.name} refuses more than 10,000 hrefs with DAV:number-of-matches-within-limits`, async () => {
      const hrefs = Array.from({ length: 10_001 }, (_v, i) => `<D:href>${r.path}m${i}</D:href>`).join('');
      const body = r.body('<D:prop><D:getetag/></D:prop>').replace(/<D:href>[^<]*<\/D:href>/, hrefs);
      const res = await report(r.path, body);
      assert.equal(res.status, 403, res.text.slice(0, 300));
      assert.match(res.text, /number-of-matches-within-limits/);
    });
  }
});
