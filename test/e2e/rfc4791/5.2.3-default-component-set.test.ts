/**
 * RFC 4791 §5.2.3: "In the absence of this property, the server MUST accept all component
 * types". The default calendar and a MKCALENDAR without CALDAV:supported-calendar-component-set
 * take VEVENT, VTODO, VJOURNAL (Evolution's and Apple's memos) and VFREEBUSY, and say so; a
 * calendar made with a set keeps to it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { caldav } from '../../../src/xml/names.js';
import { elements } from '../../../src/xml/element.js';
import { mkcalendar, propOf, put, startCalServer, XML, type CalServer } from './caldav-client.js';
import { parseXml } from '../../../src/xml/parse.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

const object = (comp: string, uid: string): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//EN',
    `BEGIN:${comp}`,
    `UID:${uid}`,
    'DTSTAMP:20240101T000000Z',
    ...(comp === 'VFREEBUSY'
      ? ['DTSTART:20240101T000000Z', 'DTEND:20240102T000000Z', 'FREEBUSY:20240101T100000Z/20240101T110000Z']
      : ['DTSTART:20240101T100000Z']),
    `SUMMARY:${comp}`,
    `END:${comp}`,
    'END:VCALENDAR',
    '',
  ]
    .filter((l) => !(comp === 'VFREEBUSY' && l.startsWith('SUMMARY')))
    .join('\r\n');

async function componentSet(path: string): Promise<string[]> {
  const res = await s.fetch(path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '0' },
    body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:supported-calendar-component-set/></D:prop></D:propfind>',
  });
  assert.equal(res.status, 207);
  const prop = propOf(parseXml(await res.text()), caldav('supported-calendar-component-set'));
  return prop ? elements(prop, caldav('comp')).map((c) => c.attrs['{}name'] ?? '') : [];
}

describe('RFC 4791 §5.2.3 supported-calendar-component-set absent: every component type', () => {
  for (const [label, path, make] of [
    ['the default calendar', '/dav/calendars/alice/default/', async (): Promise<void> => undefined],
    [
      'a MKCALENDAR without the property',
      '/dav/calendars/alice/plain/',
      async (): Promise<void> => {
        const res = await s.fetch('/dav/calendars/alice/plain/', { method: 'MKCALENDAR' });
        assert.equal(res.status, 201);
      },
    ],
  ] as const) {
    it(`${label} accepts VEVENT, VTODO, VJOURNAL and VFREEBUSY, and lists them`, async () => {
      await make();
      for (const comp of ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY']) {
        const res = await put(s.fetch, `${path}${comp.toLowerCase()}.ics`, object(comp, `${comp}-${path.length}`));
        assert.equal(res.status, 201, `${comp}: ${await res.text()}`);
      }
      const set = await componentSet(path);
      for (const comp of ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY'])
        assert.ok(set.includes(comp), `${comp} listed in ${set.join(', ')}`);
    });
  }

  it('a calendar made with a set keeps to it (VEVENT only refuses VTODO)', async () => {
    assert.equal((await mkcalendar(s.fetch, '/dav/calendars/alice/only-events/', ['VEVENT'])).status, 201);
    assert.deepEqual(await componentSet('/dav/calendars/alice/only-events/'), ['VEVENT']);
    const res = await put(s.fetch, '/dav/calendars/alice/only-events/t.ics', object('VTODO', 'only-t'));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<C:supported-calendar-component\/>/);
  });
});
