/** RFC 4791 §7.9 calendar-multiget (§7.9.1 example) and calendar-data as jCal (RFC 7265). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calendarData, loadAppendixB, names, report, startCalServer, type CalServer } from './caldav-client.js';

const WORK = '/dav/calendars/alice/work/';
let s: CalServer;
before(async () => {
  s = await startCalServer();
  await loadAppendixB(s.fetch);
});
after(() => s.close());

const multiget = (prop: string, hrefs: string[]) =>
  `<?xml version="1.0" encoding="utf-8" ?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` +
  `<D:prop>${prop}</D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:calendar-multiget>`;

describe('RFC 4791 §7.9 calendar-multiget', () => {
  it('§7.9.1: a found object with its data and a missing one as 404', async () => {
    const r = await report(
      s.fetch,
      WORK,
      multiget('<D:getetag/><C:calendar-data/>', [`${WORK}abcd1.ics`, `${WORK}mtg1.ics`]),
    );
    assert.equal(r.status, 207);
    assert.deepEqual(names(r.xml), ['abcd1.ics', 'mtg1.ics']);
    assert.match(calendarData(r.xml).get('abcd1.ics') ?? '', /SUMMARY:Event #1/);
    assert.match(
      r.text,
      /<D:href>\/dav\/calendars\/alice\/work\/mtg1.ics<\/D:href><D:status>HTTP\/1.1 404 Not Found<\/D:status>/,
    );
  });

  it('accepts absolute URLs and percent-encoded hrefs; refuses hrefs outside the collection', async () => {
    const abs = new URL(`${WORK}abcd2.ics`, s.server.url).toString();
    const r = await report(
      s.fetch,
      WORK,
      multiget('<D:getetag/>', [abs, '/dav/calendars/alice/work/abcd%33.ics', '/dav/calendars/alice/default/x.ics']),
    );
    assert.equal(r.status, 207);
    assert.equal((r.text.match(/200 OK/g) ?? []).length, 2);
    assert.match(r.text, /default\/x.ics<\/D:href><D:status>HTTP\/1.1 404/);
  });

  it('partial calendar-data and jCal (content-type="application/calendar+json")', async () => {
    const r = await report(
      s.fetch,
      WORK,
      multiget('<C:calendar-data content-type="application/calendar+json"/>', [`${WORK}abcd1.ics`]),
    );
    const jcal = JSON.parse(calendarData(r.xml).get('abcd1.ics') ?? 'null') as unknown[];
    assert.equal(jcal[0], 'vcalendar');
    assert.match(JSON.stringify(jcal), /"summary",\{\},"text","Event #1"/);
    const bad = await report(
      s.fetch,
      WORK,
      multiget('<C:calendar-data content-type="text/x-vcalendar"/>', [`${WORK}abcd1.ics`]),
    );
    assert.equal(bad.status, 403);
    assert.match(bad.text, /supported-calendar-data/);
  });

  it('a multiget of 100 objects is one report', async () => {
    const hrefs = Array.from({ length: 100 }, (_v, i) => `${WORK}abcd${(i % 8) + 1}.ics`);
    const r = await report(s.fetch, WORK, multiget('<D:getetag/><C:calendar-data/>', hrefs));
    assert.equal(r.status, 207);
    assert.equal((r.text.match(/<D:response>/g) ?? []).length, 100);
  });
});
