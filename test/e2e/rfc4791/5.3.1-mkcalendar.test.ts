/** RFC 4791 §5.2 calendar properties and §5.3.1 MKCALENDAR; RFC 5689 extended MKCOL of a calendar. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseXml } from '../../../src/xml/parse.js';
import { textOf } from '../../../src/xml/element.js';
import { appleIcal, caldav, cs, dav } from '../../../src/xml/names.js';
import { mkcalendar, propOf, startCalServer, XML, type CalServer } from './caldav-client.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

const TZ =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n' +
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\n' +
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n';

async function propfind(path: string, props: string, depth = '0') {
  const res = await s.fetch(path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: depth },
    body: `<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:I="http://apple.com/ns/ical/"><D:prop>${props}</D:prop></D:propfind>`,
  });
  assert.equal(res.status, 207);
  return parseXml(await res.text());
}

describe('RFC 4791 §5.3.1 MKCALENDAR', () => {
  it('creates a calendar with initial properties (§5.3.1.2 example)', async () => {
    const res = await s.fetch('/dav/calendars/alice/work/', {
      method: 'MKCALENDAR',
      headers: XML,
      body: `<?xml version="1.0" encoding="utf-8" ?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
        <D:displayname>Lisa's Events</D:displayname><C:calendar-description xml:lang="en">Calendar restricted to events.</C:calendar-description>
        <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
        <C:calendar-timezone><![CDATA[${TZ}]]></C:calendar-timezone>
        <I:calendar-color xmlns:I="http://apple.com/ns/ical/">#FF0000FF</I:calendar-color></D:prop></D:set></C:mkcalendar>`,
    });
    assert.equal(res.status, 201, await res.text());
    const ms = await propfind(
      '/dav/calendars/alice/work/',
      '<D:resourcetype/><D:displayname/><C:calendar-description/><C:supported-calendar-component-set/><C:calendar-timezone/><I:calendar-color/><C:supported-calendar-data/><C:max-resource-size/><C:min-date-time/><C:max-date-time/><C:max-instances/><C:supported-collation-set/><C:schedule-calendar-transp/><CS:getctag/><D:sync-token/><D:supported-report-set/>',
    );
    const rt = propOf(ms, dav('resourcetype'));
    assert.ok(rt && rt.children.some((c) => typeof c === 'object' && 'name' in c && c.name === caldav('calendar')));
    assert.equal(textOf(propOf(ms, dav('displayname'))!), "Lisa's Events");
    assert.equal(textOf(propOf(ms, caldav('calendar-description'))!), 'Calendar restricted to events.');
    assert.match(textOf(propOf(ms, caldav('calendar-timezone'))!), /TZID:Europe\/Berlin/);
    assert.equal(textOf(propOf(ms, appleIcal('calendar-color'))!), '#FF0000FF');
    const comps = JSON.stringify(propOf(ms, caldav('supported-calendar-component-set')));
    assert.match(comps, /VEVENT/);
    assert.doesNotMatch(comps, /VTODO/);
    assert.ok(Number(textOf(propOf(ms, caldav('max-resource-size'))!)) > 0);
    assert.equal(textOf(propOf(ms, caldav('min-date-time'))!), '19000101T000000Z');
    assert.match(JSON.stringify(propOf(ms, caldav('supported-collation-set'))), /i;unicode-casemap/);
    assert.match(JSON.stringify(propOf(ms, caldav('supported-calendar-data'))), /application\/calendar\+json/);
    assert.ok(propOf(ms, caldav('schedule-calendar-transp')));
    assert.ok(textOf(propOf(ms, cs('getctag'))!).length > 0);
    assert.ok(textOf(propOf(ms, dav('sync-token'))!).length > 0);
    const reports = JSON.stringify(propOf(ms, dav('supported-report-set')));
    for (const r of ['calendar-query', 'calendar-multiget', 'free-busy-query', 'sync-collection'])
      assert.match(reports, new RegExp(r));
  });

  it('refuses an existing URL with 405 and a calendar inside a calendar (calendar-collection-location-ok)', async () => {
    assert.equal((await mkcalendar(s.fetch, '/dav/calendars/alice/work/')).status, 405);
    const nested = await mkcalendar(s.fetch, '/dav/calendars/alice/work/inner/');
    assert.equal(nested.status, 403);
    assert.match(await nested.text(), /calendar-collection-location-ok/);
  });

  it('refuses the whole request when one property is bad (atomic, mkcalendar-response)', async () => {
    const res = await mkcalendar(
      s.fetch,
      '/dav/calendars/alice/bad/',
      ['VEVENT'],
      '<C:calendar-timezone>not a calendar</C:calendar-timezone>',
    );
    assert.equal(res.status, 403);
    const body = await res.text();
    assert.match(body, /mkcalendar-response/);
    assert.match(body, /valid-calendar-data/);
    assert.equal(
      (await s.fetch('/dav/calendars/alice/bad/', { method: 'PROPFIND', headers: { Depth: '0' } })).status,
      404,
    );
  });

  it('supported-calendar-component-set is protected after creation; color/order/description/transp are writable', async () => {
    const res = await s.fetch('/dav/calendars/alice/work/', {
      method: 'PROPPATCH',
      headers: XML,
      body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set></D:prop></D:set></D:propertyupdate>`,
    });
    assert.equal(res.status, 207);
    assert.match(await res.text(), /cannot-modify-protected-property/);
    const ok = await s.fetch('/dav/calendars/alice/work/', {
      method: 'PROPPATCH',
      headers: XML,
      body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><I:calendar-order>3</I:calendar-order><I:calendar-color>#00FF00</I:calendar-color><C:schedule-calendar-transp><C:transparent/></C:schedule-calendar-transp></D:prop></D:set></D:propertyupdate>`,
    });
    const text = await ok.text();
    assert.equal(ok.status, 207);
    assert.doesNotMatch(text, /HTTP\/1.1 (4|5)\d\d/, text);
    const bad = await s.fetch('/dav/calendars/alice/work/', {
      method: 'PROPPATCH',
      headers: XML,
      body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><I:calendar-color>red</I:calendar-color></D:prop></D:set></D:propertyupdate>`,
    });
    assert.match(await bad.text(), /409/);
  });

  it('extended MKCOL (RFC 5689) makes a calendar too', async () => {
    const res = await s.fetch('/dav/calendars/alice/tasks/', {
      method: 'MKCOL',
      headers: XML,
      body: `<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype><C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set><D:displayname>Tasks</D:displayname></D:prop></D:set></D:mkcol>`,
    });
    assert.equal(res.status, 201, await res.text());
    const ms = await propfind('/dav/calendars/alice/tasks/', '<C:supported-calendar-component-set/>');
    assert.match(JSON.stringify(propOf(ms, caldav('supported-calendar-component-set'))), /VTODO/);
  });

  it('DELETE removes a calendar and its objects; GET exports the calendar as one .ics', async () => {
    await mkcalendar(s.fetch, '/dav/calendars/alice/gone/', ['VEVENT']);
    const ev = (uid: string) =>
      `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    assert.equal(
      (
        await s.fetch('/dav/calendars/alice/gone/a.ics', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: ev('a'),
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await s.fetch('/dav/calendars/alice/gone/b.ics', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: ev('b'),
        })
      ).status,
      201,
    );
    const exp = await s.fetch('/dav/calendars/alice/gone/');
    assert.equal(exp.status, 200);
    assert.match(exp.headers.get('content-type') ?? '', /text\/calendar/);
    const text = await exp.text();
    assert.equal(text.match(/BEGIN:VEVENT/g)?.length, 2);
    assert.equal(text.match(/BEGIN:VCALENDAR/g)?.length, 1);
    const jcal = await s.fetch('/dav/calendars/alice/gone/', { headers: { Accept: 'application/calendar+json' } });
    assert.match(jcal.headers.get('content-type') ?? '', /application\/calendar\+json/);
    const json = (await jcal.json()) as [string, unknown[], [string][]];
    assert.equal(json[0], 'vcalendar');
    assert.equal(json[2].filter((c) => c[0] === 'vevent').length, 2);
    assert.equal((await s.fetch('/dav/calendars/alice/gone/', { method: 'DELETE' })).status, 204);
    assert.equal((await s.fetch('/dav/calendars/alice/gone/a.ics')).status, 404);
  });
});
