/** RFC 4791 §5.3.2 / §5.3.2.1: PUT of calendar object resources and its preconditions. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isElement } from '../../../src/xml/element.js';
import { parseXml } from '../../../src/xml/parse.js';
import { event, mkcalendar, names, put, query, report, startCalServer, type CalServer } from './caldav-client.js';

const CAL = '/dav/calendars/alice/default/';
let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

async function refused(res: Response, condition: string, status = 403): Promise<void> {
  const body = await res.text();
  assert.equal(res.status, status, body);
  assert.match(body, new RegExp(`<D:error[^>]*>.*<C:${condition}`, 's'), body);
}

describe('RFC 4791 §5.3.2 PUT preconditions', () => {
  it('stores a valid event as sent (201, ETag), replaces it (204), keeps bytes verbatim', async () => {
    const ics = event('put-1', '20240102T100000Z', '20240102T110000Z', ['X-FOO;X-BAR=1:keep me   ']);
    const res = await put(s.fetch, `${CAL}put-1.ics`, ics);
    assert.equal(res.status, 201);
    assert.ok(res.headers.get('etag'));
    assert.equal(await (await s.fetch(`${CAL}put-1.ics`)).text(), ics);
    assert.equal((await put(s.fetch, `${CAL}put-1.ics`, ics.replace('Test event', 'Changed'))).status, 204);
  });

  it('RFC 5545 §3.6: a VCALENDAR without VERSION and PRODID (as python-caldav 0.11 wraps a bare VEVENT) is stored with both added; VERSION:1.0 stays refused', async () => {
    const sent =
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Bastille Day Party\r\nDTSTART:20060714T170000Z\r\nDTEND:20060715T040000Z\r\nDTSTAMP:20060712T182145Z\r\nUID:no-header@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const res = await put(s.fetch, `${CAL}no-header.ics`, sent);
    assert.equal(res.status, 201, await res.text());
    const stored = await (await s.fetch(`${CAL}no-header.ics`)).text();
    assert.match(stored, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:[^\r\n]+\r\nBEGIN:VEVENT\r\n/);
    assert.equal(stored.replace(/VERSION:2\.0\r\nPRODID:[^\r\n]+\r\n/, ''), sent, 'the rest is kept byte for byte');
    await refused(
      await put(
        s.fetch,
        `${CAL}v1.ics`,
        sent.replace('BEGIN:VCALENDAR\r\n', 'BEGIN:VCALENDAR\r\nVERSION:1.0\r\n').replace('no-header', 'v1'),
      ),
      'valid-calendar-data',
    );
  });

  it('If-None-Match: * refuses to overwrite; If-Match with a stale ETag is 412', async () => {
    const ics = event('put-2', '20240102T100000Z', '20240102T110000Z');
    const first = await put(s.fetch, `${CAL}put-2.ics`, ics, { 'If-None-Match': '*' });
    assert.equal(first.status, 201);
    assert.equal((await put(s.fetch, `${CAL}put-2.ics`, ics, { 'If-None-Match': '*' })).status, 412);
    assert.equal((await put(s.fetch, `${CAL}put-2.ics`, ics, { 'If-Match': '"nope"' })).status, 412);
    assert.equal(
      (await put(s.fetch, `${CAL}put-2.ics`, ics, { 'If-Match': first.headers.get('etag') ?? '' })).status,
      204,
    );
  });

  it('valid-calendar-data: not iCalendar, broken syntax, bad values, missing VTIMEZONE', async () => {
    await refused(await put(s.fetch, `${CAL}bad1.ics`, 'hello world'), 'valid-calendar-data');
    await refused(
      await put(s.fetch, `${CAL}bad2.ics`, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nFOO\r\nEND:VCALENDAR\r\n'),
      'valid-calendar-data',
    );
    await refused(
      await put(s.fetch, `${CAL}bad3.ics`, event('bad3', '2024XX02T100000Z', '20240102T110000Z')),
      'valid-calendar-data',
    );
    await refused(
      await put(
        s.fetch,
        `${CAL}bad4.ics`,
        event('bad4', '20240102T100000', '20240102T110000').replace('DTSTART:', 'DTSTART;TZID=Europe/Paris:'),
      ),
      'valid-calendar-data',
    );
  });

  it('RFC 5545 §3.1 valid-calendar-data: a control character other than HTAB is refused; HTAB and escaped line breaks are fine', async () => {
    for (const [i, ctl] of ['\u0007', '\u0000', '\u001b', '\u007f', '\r'].entries()) {
      const ics = event(`ctl-${i}`, '20240102T100000Z', '20240102T110000Z', [`DESCRIPTION:bell${ctl}here`]);
      await refused(await put(s.fetch, `${CAL}ctl-${i}.ics`, ics), 'valid-calendar-data');
      assert.equal((await s.fetch(`${CAL}ctl-${i}.ics`)).status, 404, 'nothing stored');
    }
    // jCal carries the same text: its control characters are refused too.
    const jcal = JSON.stringify([
      'vcalendar',
      [
        ['version', {}, 'text', '2.0'],
        ['prodid', {}, 'text', 'x'],
      ],
      [
        [
          'vevent',
          [
            ['uid', {}, 'text', 'ctl-j'],
            ['dtstamp', {}, 'date-time', '2024-01-01T00:00:00Z'],
            ['dtstart', {}, 'date-time', '2024-01-02T10:00:00Z'],
            ['summary', {}, 'text', 'bell\u0007'],
          ],
          [],
        ],
      ],
    ]);
    await refused(
      await s.fetch(`${CAL}ctl-j.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/calendar+json' },
        body: jcal,
      }),
      'valid-calendar-data',
    );
    const ok = event('tab-ok', '20240102T100000Z', '20240102T110000Z', ['DESCRIPTION:a\ttab and\\na line break']);
    assert.equal((await put(s.fetch, `${CAL}tab-ok.ics`, ok)).status, 201);
  });

  it("RFC 5545 §3.8.4.4 / §3.6.1 valid-calendar-data: a RECURRENCE-ID of another value type than the series' DTSTART, or twice in one component, is refused", async () => {
    const series = (uid: string, start: string, override: string[]): string =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:x',
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTAMP:20240101T000000Z',
        `DTSTART${start}`,
        'RRULE:FREQ=DAILY;COUNT=5',
        'SUMMARY:series',
        'END:VEVENT',
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTAMP:20240101T000000Z',
        ...override,
        'SUMMARY:moved',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    await refused(
      await put(
        s.fetch,
        `${CAL}rid-1.ics`,
        series('rid-1', ':20240101T100000Z', ['RECURRENCE-ID;VALUE=DATE:20240102', 'DTSTART:20240102T110000Z']),
      ),
      'valid-calendar-data',
    );
    await refused(
      await put(
        s.fetch,
        `${CAL}rid-2.ics`,
        series('rid-2', ';VALUE=DATE:20240101', ['RECURRENCE-ID:20240102T000000Z', 'DTSTART;VALUE=DATE:20240102']),
      ),
      'valid-calendar-data',
    );
    await refused(
      await put(
        s.fetch,
        `${CAL}rid-3.ics`,
        series('rid-3', ':20240101T100000Z', [
          'RECURRENCE-ID:20240102T100000Z',
          'RECURRENCE-ID:20240103T100000Z',
          'DTSTART:20240102T110000Z',
        ]),
      ),
      'valid-calendar-data',
    );
    await refused(
      await put(
        s.fetch,
        `${CAL}rid-4.ics`,
        series('rid-4', ':20240101T100000Z', [
          'RECURRENCE-ID:20240102T100000Z',
          'DTSTART:20240102T110000Z',
          'DTSTART:20240102T120000Z',
        ]),
      ),
      'valid-calendar-data',
    );
    for (const n of [1, 2, 3, 4]) assert.equal((await s.fetch(`${CAL}rid-${n}.ics`)).status, 404);
    // The override of an all-day series may become a timed event: its RECURRENCE-ID stays a DATE.
    assert.equal(
      (
        await put(
          s.fetch,
          `${CAL}rid-ok.ics`,
          series('rid-ok', ';VALUE=DATE:20240101', ['RECURRENCE-ID;VALUE=DATE:20240102', 'DTSTART:20240102T110000Z']),
        )
      ).status,
      201,
    );
  });

  it('supported-calendar-data: a body that is not iCalendar by media type', async () => {
    await refused(
      await put(s.fetch, `${CAL}bad5.ics`, '<x/>', { 'Content-Type': 'application/xml' }),
      'supported-calendar-data',
    );
  });

  it('valid-calendar-object-resource: METHOD, two component types, two UIDs', async () => {
    await refused(
      await put(
        s.fetch,
        `${CAL}m.ics`,
        event('m', '20240102T100000Z', '20240102T110000Z').replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST'),
      ),
      'valid-calendar-object-resource',
    );
    const two = event('two', '20240102T100000Z', '20240102T110000Z').replace(
      'END:VCALENDAR',
      'BEGIN:VTODO\r\nUID:two\r\nDTSTAMP:20240101T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR',
    );
    await refused(await put(s.fetch, `${CAL}two.ics`, two), 'valid-calendar-object-resource');
    const uids = event('u1', '20240102T100000Z', '20240102T110000Z').replace(
      'END:VCALENDAR',
      'BEGIN:VEVENT\r\nUID:u2\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240103T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR',
    );
    await refused(await put(s.fetch, `${CAL}uids.ics`, uids), 'valid-calendar-object-resource');
  });

  it('supported-calendar-component: a VJOURNAL into a calendar made for VEVENT/VTODO', async () => {
    const journal =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VJOURNAL\r\nUID:j1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240101\r\nSUMMARY:note\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n';
    assert.equal((await mkcalendar(s.fetch, '/dav/calendars/alice/events-tasks/', ['VEVENT', 'VTODO'])).status, 201);
    await refused(
      await put(s.fetch, '/dav/calendars/alice/events-tasks/j1.ics', journal),
      'supported-calendar-component',
    );
    await mkcalendar(s.fetch, '/dav/calendars/alice/journal/', ['VJOURNAL']);
    assert.equal((await put(s.fetch, '/dav/calendars/alice/journal/j1.ics', journal)).status, 201);
  });

  it('RFC 4918 §16: DAV:error holds the precondition element alone; the reason in words is a comment after it', async () => {
    assert.equal(
      (await put(s.fetch, `${CAL}only-child-a.ics`, event('only-child', '20240102T100000Z', '20240102T110000Z')))
        .status,
      201,
    );
    const res = await put(
      s.fetch,
      `${CAL}only-child-b.ics`,
      event('only-child', '20240102T100000Z', '20240102T110000Z'),
    );
    const body = await res.text();
    assert.equal(res.status, 403);
    const root = parseXml(body);
    assert.deepEqual(
      root.children.filter(isElement).map((c) => c.name),
      ['{urn:ietf:params:xml:ns:caldav}no-uid-conflict'],
      body,
    );
    assert.match(body, /<\/D:error>\n<!-- the UID is already used by [^\n]*only-child-a\.ics -->\n$/);
    assert.doesNotMatch(body, /almanac\.invalid/);
  });

  it('no-uid-conflict names the resource that holds the UID', async () => {
    assert.equal(
      (await put(s.fetch, `${CAL}uid-a.ics`, event('same-uid', '20240102T100000Z', '20240102T110000Z'))).status,
      201,
    );
    const res = await put(s.fetch, `${CAL}uid-b.ics`, event('same-uid', '20240102T100000Z', '20240102T110000Z'));
    const body = await res.text();
    assert.equal(res.status, 403);
    assert.match(
      body,
      /<C:no-uid-conflict><D:href>\/dav\/calendars\/alice\/default\/uid-a.ics<\/D:href><\/C:no-uid-conflict>/,
    );
  });

  it('min-date-time and max-date-time', async () => {
    await refused(
      await put(s.fetch, `${CAL}old.ics`, event('old', '18500101T000000Z', '18500101T010000Z')),
      'min-date-time',
    );
    await refused(
      await put(s.fetch, `${CAL}future.ics`, event('future', '22000101T000000Z', '22000101T010000Z')),
      'max-date-time',
    );
  });

  it('max-resource-size', async () => {
    const big = event('big', '20240102T100000Z', '20240102T110000Z', [`DESCRIPTION:${'x'.repeat(11 * 1024 * 1024)}`]);
    await refused(await put(s.fetch, `${CAL}big.ics`, big), 'max-resource-size');
  });

  it('max-instances: a bounded rule with more instances than advertised', async () => {
    await refused(
      await put(
        s.fetch,
        `${CAL}many.ics`,
        event('many', '20240102T100000Z', '20240102T110000Z', ['RRULE:FREQ=HOURLY;COUNT=20000']),
      ),
      'max-instances',
    );
    assert.equal(
      (
        await put(
          s.fetch,
          `${CAL}forever.ics`,
          event('forever', '20240102T100000Z', '20240102T110000Z', ['RRULE:FREQ=DAILY']),
        )
      ).status,
      201,
      'open-ended rules are fine',
    );
  });

  it('accepts any resource name (clients use .ics, but need not)', async () => {
    assert.equal(
      (await put(s.fetch, `${CAL}no-extension`, event('noext', '20240102T100000Z', '20240102T110000Z'))).status,
      201,
    );
  });

  it('jCal (RFC 7265) PUT is stored as iCalendar', async () => {
    const jcal = JSON.stringify([
      'vcalendar',
      [
        ['version', {}, 'text', '2.0'],
        ['prodid', {}, 'text', 'x'],
      ],
      [
        [
          'vevent',
          [
            ['uid', {}, 'text', 'jcal-1'],
            ['dtstamp', {}, 'date-time', '2024-01-01T00:00:00Z'],
            ['dtstart', {}, 'date-time', '2024-01-02T10:00:00Z'],
            ['summary', {}, 'text', 'From jCal'],
          ],
          [],
        ],
      ],
    ]);
    const res = await put(s.fetch, `${CAL}jcal-1.ics`, jcal, { 'Content-Type': 'application/calendar+json' });
    assert.equal(res.status, 201, await res.text());
    assert.match(await (await s.fetch(`${CAL}jcal-1.ics`)).text(), /SUMMARY:From jCal/);
  });

  it('COPY and MOVE into a calendar meet the same preconditions (§5.3.2.1: "or targeted by a COPY or MOVE request")', async () => {
    const dest = (path: string) => new URL(path, s.server.url).toString();
    assert.equal((await s.fetch('/dav/files/alice/note.txt', { method: 'PUT', body: 'not a calendar' })).status, 201);
    await refused(
      await s.fetch('/dav/files/alice/note.txt', { method: 'MOVE', headers: { Destination: dest(`${CAL}note.ics`) } }),
      'valid-calendar-data',
    );
    assert.equal(
      (await put(s.fetch, `${CAL}orig.ics`, event('copy-uid', '20240102T100000Z', '20240102T110000Z'))).status,
      201,
    );
    await refused(
      await s.fetch(`${CAL}orig.ics`, { method: 'COPY', headers: { Destination: dest(`${CAL}dup.ics`) } }),
      'no-uid-conflict',
    );
    await mkcalendar(s.fetch, '/dav/calendars/alice/other/', ['VEVENT']);
    assert.equal(
      (
        await s.fetch(`${CAL}orig.ics`, {
          method: 'COPY',
          headers: { Destination: dest('/dav/calendars/alice/other/copy.ics') },
        })
      ).status,
      201,
    );
    const found = await report(
      s.fetch,
      '/dav/calendars/alice/other/',
      query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240102T000000Z" end="20240103T000000Z"/></C:comp-filter></C:comp-filter>',
      ),
    );
    assert.deepEqual(names(found.xml), ['copy.ics'], 'the copy is indexed');
  });
});
