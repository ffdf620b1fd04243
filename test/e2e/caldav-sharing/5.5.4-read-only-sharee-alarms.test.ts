/**
 * caldav-sharing §5.5.4: a read-only sharee keeps their own alarms. As iOS does it: GET the
 * event through the instance, add a VALARM, PUT it back with If-Match. A PUT that differs from
 * the stored event only in per-user data (VALARMs, TRANSP; write stamps such as DTSTAMP aside)
 * is stored as the sharee's own data and the shared body stays byte for byte; any other change,
 * or none at all, is still 403 DAV:need-privileges.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { shareAndAccept } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const OWNED =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTAMP:20260101T000000Z\r\n' +
  'DTSTART:20260110T100000Z\r\nDTEND:20260110T110000Z\r\nSUMMARY:Planning\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n' +
  'DESCRIPTION:alice-alarm\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

const BOB_ALARM = 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:bob-alarm\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n';

/** What iOS sends after adding an alarm: the text it read, the alarm before END:VEVENT, DTSTAMP renewed. */
function withAlarm(text: string, stamp = '20260301T120000Z'): string {
  return text.replace('END:VEVENT', `${BOB_ALARM}END:VEVENT`).replace(/DTSTAMP:[0-9TZ]+/, `DTSTAMP:${stamp}`);
}

let server: TestServer;
let bobHome = '';
const alice = () => davFetch(server.url, 'alice');
const bob = () => davFetch(server.url, 'bob');
const ownerView = async () => {
  const res = await alice()(`${SHARED}e1.ics`);
  return { etag: res.headers.get('etag'), text: await res.text() };
};
/** Bob's PUT through his instance, with If-Match. */
const bobPut = (etag: string, body: string) =>
  bob()(`${bobHome}e1.ics`, { method: 'PUT', headers: { ...ICS, 'If-Match': etag }, body });

describe('caldav-sharing §5.5.4: a read-only sharee’s own alarms', () => {
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw' } });
    assert.equal((await alice()(SHARED, { method: 'MKCALENDAR' })).status, 201);
    assert.equal((await alice()(`${SHARED}e1.ics`, { method: 'PUT', headers: ICS, body: OWNED })).status, 201);
    bobHome = await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read');
  });
  after(async () => server.close());

  it('GET, add a VALARM, PUT with If-Match: accepted and kept for the sharee alone; the shared body is unchanged', async () => {
    const owner = await ownerView();
    const got = await bob()(`${bobHome}e1.ics`);
    const etag = got.headers.get('etag') ?? '';
    const read = await got.text();
    assert.doesNotMatch(read, /alice-alarm/);
    const put = await bobPut(etag, withAlarm(read));
    assert.equal(put.status, 204, await put.text());
    const again = await bob()(`${bobHome}e1.ics`);
    const mine = await again.text();
    assert.match(mine, /bob-alarm/);
    assert.doesNotMatch(mine, /alice-alarm/);
    assert.notEqual(again.headers.get('etag'), etag, 'the sharee’s ETag changes with their alarm');
    const afterwards = await ownerView();
    assert.equal(afterwards.text, owner.text, 'the shared body (and the owner’s alarm, DTSTAMP) stays byte for byte');
    assert.doesNotMatch(afterwards.text, /bob-alarm/);
  });

  it('the sharee may take their alarm off again', async () => {
    const got = await bob()(`${bobHome}e1.ics`);
    const etag = got.headers.get('etag') ?? '';
    const without = (await got.text()).replace(BOB_ALARM, '');
    const put = await bobPut(etag, without);
    assert.equal(put.status, 204);
    assert.doesNotMatch(await (await bob()(`${bobHome}e1.ics`)).text(), /bob-alarm/);
  });

  it('a PUT that changes nothing, not even the sharee’s own data, is refused as before', async () => {
    const got = await bob()(`${bobHome}e1.ics`);
    const etag = got.headers.get('etag') ?? '';
    const put = await bobPut(etag, await got.text());
    assert.equal(put.status, 403);
    assert.equal((await bob()(`${bobHome}e1.ics`)).headers.get('etag'), etag);
  });

  it('an alarm together with any change of shared data is refused 403 need-privileges; nothing is stored', async () => {
    const owner = await ownerView();
    const got = await bob()(`${bobHome}e1.ics`);
    const etag = got.headers.get('etag') ?? '';
    const edited = withAlarm(await got.text()).replace('SUMMARY:Planning', 'SUMMARY:Bob was here');
    const put = await bobPut(etag, edited);
    assert.equal(put.status, 403);
    assert.match(await put.text(), /need-privileges/);
    assert.deepEqual(await ownerView(), owner);
    assert.doesNotMatch(await (await bob()(`${bobHome}e1.ics`)).text(), /bob-alarm|Bob was here/);
  });

  it('a stale If-Match is 412 for an alarm change and 403 for a change of shared data (RFC 7232 §5), and the owner’s path is refused for a change of shared data as well', async () => {
    const got = await bob()(`${bobHome}e1.ics`);
    const read = await got.text();
    const stale = await bob()(`${bobHome}e1.ics`, {
      method: 'PUT',
      headers: { ...ICS, 'If-Match': '"not-the-etag"' },
      body: withAlarm(read),
    });
    assert.equal(stale.status, 412);
    // RFC 7232 §5: preconditions are judged only for a request that would otherwise succeed; a
    // change of shared data is refused whatever the If-Match.
    const staleEdit = await bob()(`${bobHome}e1.ics`, {
      method: 'PUT',
      headers: { ...ICS, 'If-Match': '"not-the-etag"' },
      body: withAlarm(read).replace('SUMMARY:Planning', 'SUMMARY:Bob was here'),
    });
    assert.equal(staleEdit.status, 403);
    assert.match(await staleEdit.text(), /need-privileges/);
    const direct = await bob()(`${SHARED}e1.ics`, {
      method: 'PUT',
      headers: ICS,
      body: withAlarm(read).replace('DTEND:20260110T110000Z', 'DTEND:20260110T120000Z'),
    });
    assert.equal(direct.status, 403);
    assert.doesNotMatch(await (await bob()(`${bobHome}e1.ics`)).text(), /bob-alarm/);
  });
});
