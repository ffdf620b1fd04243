/**
 * RFC 4791 §5.2.2 calendar-timezone, read once per state of the calendar (issue #20): a query on
 * an unchanged calendar reads no dead properties (its floating zone is kept by the collection's
 * id, creation, path and metaSeq), and a PROPPATCH of CALDAV:calendar-timezone moves the
 * calendar's metaSeq, so the next query reads floating times in the new zone at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import { countingStore } from '../../helpers/counting-store.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { parseXml } from '../../../src/xml/parse.js';
import { mkcalendar, names, put, query, XML, type Fetch } from './caldav-client.js';

const H = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Almanac tests//EN\r\n';
const zone = (tzid: string, offset: string): string =>
  `${H}BEGIN:VTIMEZONE\r\nTZID:${tzid}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n` +
  `TZOFFSETFROM:${offset}\r\nTZOFFSETTO:${offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n`;
const CAL = '/dav/calendars/alice/zoned/';
const range = (start: string, end: string): string =>
  `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter>`;

describe('RFC 4791 §5.2.2 the floating zone of a calendar is read once per calendar state (issue #20)', () => {
  let server: TestServer;
  let fetch: Fetch;
  let dir: string;
  let propertyReads = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-zone-kept-'));
    const store = countingStore(openSqliteStore(join(dir, 'a.sqlite'), { synchronous: 'NORMAL' }), (m) => {
      if (m === 'getProperties') propertyReads += 1;
    });
    server = await startTestServer({ store });
    fetch = davFetch(server.url);
    const tz = `<C:calendar-timezone><![CDATA[${zone('Asia/Tokyo', '+0900')}]]></C:calendar-timezone>`;
    assert.equal((await mkcalendar(fetch, CAL, ['VEVENT'], tz)).status, 201);
    const floating = `${H}BEGIN:VEVENT\r\nUID:f\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240311T233000\r\nDURATION:PT15M\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    assert.equal((await put(fetch, `${CAL}f.ics`, floating)).status, 201);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hits = async (start: string, end: string): Promise<string[]> => {
    const r = await fetch(CAL, {
      method: 'REPORT',
      headers: { ...XML, Depth: '1', 'Cache-Control': 'no-cache' },
      body: query(range(start, end)),
    });
    assert.equal(r.status, 207);
    return names(parseXml(await r.text()));
  };

  it('queries of an unchanged calendar read its properties once; a new calendar-timezone applies at once', async () => {
    assert.deepEqual(await hits('20240311T143000Z', '20240311T144500Z'), ['f.ics'], '23:30 Tokyo = 14:30Z');
    const before = propertyReads;
    assert.deepEqual(await hits('20240311T143000Z', '20240311T144000Z'), ['f.ics']);
    assert.deepEqual(await hits('20240311T140000Z', '20240311T141500Z'), []);
    assert.equal(propertyReads, before, 'no dead-property read for an unchanged calendar');

    const set = await fetch(CAL, {
      method: 'PROPPATCH',
      headers: XML,
      body:
        '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>' +
        `<C:calendar-timezone><![CDATA[${zone('America/New_York', '-0500')}]]></C:calendar-timezone>` +
        '</D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(set.status, 207);
    assert.deepEqual(await hits('20240311T143000Z', '20240311T144500Z'), [], 'no longer read in Tokyo');
    assert.deepEqual(await hits('20240312T043000Z', '20240312T044500Z'), ['f.ics'], '23:30 at -05:00 = 04:30Z');
  });
});
