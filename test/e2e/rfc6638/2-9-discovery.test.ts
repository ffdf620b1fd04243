/** RFC 6638 §2 (scheduling collections and principal properties) and §9 (calendar properties): how a client finds scheduling. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseXml } from '../../../src/xml/parse.js';
import { elements, firstChild, textOf, type XmlElement } from '../../../src/xml/element.js';
import { caldav, dav } from '../../../src/xml/names.js';
import { propOf, startCalServer, XML, type CalServer } from '../rfc4791/caldav-client.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

async function propfind(path: string, props: string, depth = '0'): Promise<XmlElement> {
  const res = await s.fetch(path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: depth },
    body: `<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop>${props}</D:prop></D:propfind>`,
  });
  assert.equal(res.status, 207);
  return parseXml(await res.text());
}

const hrefs = (p: XmlElement | undefined): string[] => (p ? elements(p, dav('href')).map(textOf) : []);

describe('RFC 6638 §2 and §9: discovery', () => {
  it('§2: the DAV header names calendar-auto-schedule', async () => {
    const res = await s.fetch('/dav/calendars/alice/', { method: 'OPTIONS' });
    assert.match(res.headers.get('dav') ?? '', /\bcalendar-auto-schedule\b/);
  });

  it('§2.1.1, §2.2.1, §2.4.1, §2.4.2: the principal names its outbox, inbox, addresses (mailto first) and type', async () => {
    const ms = await propfind(
      '/dav/principals/users/bob/',
      '<C:schedule-inbox-URL/><C:schedule-outbox-URL/><C:calendar-user-address-set/><C:calendar-user-type/>',
    );
    assert.deepEqual(hrefs(propOf(ms, caldav('schedule-inbox-URL'))), ['/dav/calendars/bob/inbox/']);
    assert.deepEqual(hrefs(propOf(ms, caldav('schedule-outbox-URL'))), ['/dav/calendars/bob/outbox/']);
    assert.deepEqual(hrefs(propOf(ms, caldav('calendar-user-address-set'))), [
      'mailto:bob@example.com',
      '/dav/principals/users/bob/',
    ]);
    assert.equal(textOf(propOf(ms, caldav('calendar-user-type')) as XmlElement), 'INDIVIDUAL');
  });

  it('§2.1, §2.2: inbox and outbox exist with their resource types; §9.2: the inbox names the default calendar', async () => {
    const inbox = await propfind('/dav/calendars/alice/inbox/', '<D:resourcetype/><C:schedule-default-calendar-URL/>');
    const type = propOf(inbox, dav('resourcetype')) as XmlElement;
    assert.ok(firstChild(type, dav('collection')) && firstChild(type, caldav('schedule-inbox')));
    assert.deepEqual(hrefs(propOf(inbox, caldav('schedule-default-calendar-URL'))), ['/dav/calendars/alice/default/']);
    const outbox = await propfind('/dav/calendars/alice/outbox/', '<D:resourcetype/>');
    assert.ok(firstChild(propOf(outbox, dav('resourcetype')) as XmlElement, caldav('schedule-outbox')));
  });

  it('§9.1: calendars answer schedule-calendar-transp (opaque unless set)', async () => {
    const ms = await propfind('/dav/calendars/alice/default/', '<C:schedule-calendar-transp/>');
    assert.ok(firstChild(propOf(ms, caldav('schedule-calendar-transp')) as XmlElement, caldav('opaque')));
  });

  it('§2.2: the inbox is listed in the calendar home and is no calendar', async () => {
    const ms = await propfind('/dav/calendars/alice/', '<D:resourcetype/>', '1');
    const inbox = elements(ms, dav('response')).find(
      (r) => textOf(firstChild(r, dav('href')) as XmlElement) === '/dav/calendars/alice/inbox/',
    );
    assert.ok(inbox, 'the inbox is a member of the home');
  });
});
