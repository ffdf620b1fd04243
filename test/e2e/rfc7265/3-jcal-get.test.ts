import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const EVENT = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Almanac test//EN',
  'BEGIN:VEVENT',
  'UID:jcal-1@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260105T100000Z',
  'DTEND:20260105T110000Z',
  'SUMMARY:Standup',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('RFC 7265 §3: a calendar object is served as jCal when the client asks for it', () => {
  let server: TestServer;
  let dav: ReturnType<typeof davFetch>;
  const href = '/dav/calendars/alice/default/jcal-1.ics';
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
    assert.equal(
      (await dav(href, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: EVENT })).status,
      201,
    );
  });
  after(async () => server.close());

  it('Accept: application/calendar+json gives the same event as a jCal array', async () => {
    const res = await dav(href, { headers: { Accept: 'application/calendar+json' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/calendar\+json/);
    assert.match(res.headers.get('vary') ?? '', /Accept/);
    const jcal = (await res.json()) as [string, unknown[], [string, [string, object, string, string][]][]];
    assert.equal(jcal[0], 'vcalendar');
    const vevent = jcal[2].find((c) => c[0] === 'vevent');
    assert.ok(vevent);
    assert.ok(vevent[1].some((p) => p[0] === 'summary' && p[3] === 'Standup'));
    assert.ok(vevent[1].some((p) => p[0] === 'dtstart' && p[3] === '2026-01-05T10:00:00Z'));
  });

  it('without that Accept the bytes are exactly what was PUT', async () => {
    const res = await dav(href);
    assert.equal(await res.text(), EVENT);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
  });
});
