/**
 * caldav-sharing §5.5.4 (per-user calendar data): in a shared calendar, TRANSP and VALARM are each
 * user's own. The owner's alarms stay in the shared object, a sharee's are kept apart; each reads
 * their own (GET, calendar-multiget, calendar-query, sync-collection, the collection's export),
 * with an ETag that changes when theirs do, and one user's edit leaves the other's alone.
 * Ending the share drops the sharee's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { post, shareAndAccept, unshareBody, XML } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

function alarm(trigger: string, note: string): string {
  return `BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:${note}\r\nTRIGGER:${trigger}\r\nEND:VALARM\r\n`;
}

/** An event; `extra` goes inside the VEVENT (TRANSP, VALARMs), `overrides` after it. */
function event(uid: string, summary: string, extra = '', overrides = ''): string {
  return (
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n` +
    `DTSTART:20260110T100000Z\r\nDTEND:20260110T110000Z\r\nSUMMARY:${summary}\r\n${extra}END:VEVENT\r\n${overrides}END:VCALENDAR\r\n`
  );
}

function multiget(hrefs: readonly string[]): string {
  return (
    '<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">' +
    `<D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:calendar-multiget>`
  );
}
const QUERY =
  '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>' +
  '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>';
const SYNC =
  '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:sync-token/><D:sync-level>1</D:sync-level>' +
  '<D:prop><D:getetag/><C:calendar-data/></D:prop></D:sync-collection>';

describe('caldav-sharing §5.5.4: per-user VALARM and TRANSP in a shared calendar', () => {
  let server: TestServer;
  let daveHome = ''; // dave's read-write instance
  let bobHome = ''; // bob's read-only instance
  const alice = () => davFetch(server.url, 'alice');
  const dave = () => davFetch(server.url, 'dave');
  const bob = () => davFetch(server.url, 'bob');
  const text = async (res: Response | Promise<Response>) => (await res).text();

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', dave: 'dave-pw' } });
    assert.equal((await alice()(SHARED, { method: 'MKCALENDAR' })).status, 201);
    const owned = event('e1', 'Planning', `TRANSP:OPAQUE\r\n${alarm('-PT15M', 'alice-alarm')}`);
    assert.equal((await alice()(`${SHARED}e1.ics`, { method: 'PUT', headers: ICS, body: owned })).status, 201);
    daveHome = await shareAndAccept(server.url, 'alice', SHARED, 'dave', 'read-write');
    bobHome = await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read');
  });
  after(async () => server.close());

  it('a sharee reads the shared event without the owner’s alarms and transparency; the owner reads theirs', async () => {
    const got = await text(dave()(`${daveHome}e1.ics`));
    assert.match(got, /SUMMARY:Planning/);
    assert.doesNotMatch(got, /alice-alarm|BEGIN:VALARM|TRANSP/);
    assert.doesNotMatch(await text(bob()(`${bobHome}e1.ics`)), /alice-alarm/);
    const own = await text(alice()(`${SHARED}e1.ics`));
    assert.match(own, /alice-alarm/);
    assert.match(own, /TRANSP:OPAQUE/);
  });

  it('a sharee’s PUT keeps their alarm and TRANSP for them alone; the owner’s stay; the ETag moves for both', async () => {
    const ownerEtag = (await alice()(`${SHARED}e1.ics`)).headers.get('etag');
    const first = await dave()(`${daveHome}e1.ics`);
    const daveEtag = first.headers.get('etag') ?? '';
    const mine = event('e1', 'Planning', `TRANSP:TRANSPARENT\r\n${alarm('-PT5M', 'dave-alarm')}`);
    const put = await dave()(`${daveHome}e1.ics`, {
      method: 'PUT',
      headers: { ...ICS, 'If-Match': daveEtag },
      body: mine,
    });
    assert.equal(put.status, 204);
    assert.equal(put.headers.get('etag'), null, 'what dave reads back differs from what he sent: no ETag');
    const his = await dave()(`${daveHome}e1.ics`);
    const hisText = await his.text();
    assert.match(hisText, /dave-alarm/);
    assert.match(hisText, /TRANSP:TRANSPARENT/);
    assert.doesNotMatch(hisText, /alice-alarm|OPAQUE/);
    assert.notEqual(his.headers.get('etag'), daveEtag, 'dave’s ETag changes with his alarm');
    const hers = await alice()(`${SHARED}e1.ics`);
    const hersText = await hers.text();
    assert.match(hersText, /alice-alarm/);
    assert.match(hersText, /TRANSP:OPAQUE/);
    assert.doesNotMatch(hersText, /dave-alarm|TRANSPARENT/);
    assert.notEqual(hers.headers.get('etag'), ownerEtag);
    const bobs = await text(bob()(`${bobHome}e1.ics`));
    assert.doesNotMatch(bobs, /dave-alarm|alice-alarm/);
  });

  it('reports answer each user’s own data: multiget, query and sync-collection, before and after the owner’s edit', async () => {
    const report = async (who: () => ReturnType<typeof davFetch>, path: string, body: string) => {
      const res = await who()(path, { method: 'REPORT', headers: { ...XML, Depth: '1' }, body });
      assert.equal(res.status, 207);
      return res.text();
    };
    for (let round = 0; round < 2; round += 1) {
      // Twice each: the second answer may come from the report answer cache or the member fragments.
      for (const body of [multiget([`${daveHome}e1.ics`]), QUERY, SYNC]) {
        const his = await report(dave, daveHome, body);
        assert.match(his, /dave-alarm/);
        assert.doesNotMatch(his, /alice-alarm/);
      }
      for (const body of [multiget([`${SHARED}e1.ics`]), QUERY, SYNC]) {
        const hers = await report(alice, SHARED, body);
        assert.match(hers, /alice-alarm/);
        assert.doesNotMatch(hers, /dave-alarm/);
      }
      const bobs = await report(bob, bobHome, QUERY);
      assert.doesNotMatch(bobs, /alice-alarm|dave-alarm/);
    }
    // The owner renames the event and changes her alarm: dave's alarm stays, the new summary reaches him.
    const edited = event('e1', 'Planning v2', `TRANSP:OPAQUE\r\n${alarm('-PT30M', 'alice-alarm-2')}`);
    assert.equal((await alice()(`${SHARED}e1.ics`, { method: 'PUT', headers: ICS, body: edited })).status, 204);
    const his = await report(dave, daveHome, QUERY);
    assert.match(his, /Planning v2/);
    assert.match(his, /dave-alarm/);
    assert.doesNotMatch(his, /alice-alarm/);
    const export_ = await text(dave()(daveHome));
    assert.match(export_, /dave-alarm/);
    assert.doesNotMatch(export_, /alice-alarm/);
  });

  it('a sharee’s edit of the shared data keeps the owner’s alarm; a sharee’s new event has no alarm for the owner', async () => {
    const mine = event('e1', 'Planning v3', alarm('-PT5M', 'dave-alarm'));
    assert.equal((await dave()(`${daveHome}e1.ics`, { method: 'PUT', headers: ICS, body: mine })).status, 204);
    const hers = await text(alice()(`${SHARED}e1.ics`));
    assert.match(hers, /Planning v3/);
    assert.match(hers, /alice-alarm-2/);
    const created = event('d1', 'Dave’s', alarm('-PT1M', 'dave-only'));
    assert.equal((await dave()(`${daveHome}d1.ics`, { method: 'PUT', headers: ICS, body: created })).status, 201);
    assert.doesNotMatch(await text(alice()(`${SHARED}d1.ics`)), /dave-only|VALARM/);
    assert.match(await text(dave()(`${daveHome}d1.ics`)), /dave-only/);
  });

  it('per-user data is kept per component: an overridden instance has its own alarm', async () => {
    const master = 'RRULE:FREQ=DAILY;COUNT=5\r\n';
    const override = (extra: string) =>
      'BEGIN:VEVENT\r\nUID:r1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20260112T100000Z\r\n' +
      `DTSTART:20260112T120000Z\r\nDTEND:20260112T130000Z\r\nSUMMARY:Moved\r\n${extra}END:VEVENT\r\n`;
    const owners = event(
      'r1',
      'Daily',
      master + alarm('-PT10M', 'alice-master'),
      override(alarm('-PT20M', 'alice-moved')),
    );
    assert.equal((await alice()(`${SHARED}r1.ics`, { method: 'PUT', headers: ICS, body: owners })).status, 201);
    const his = event('r1', 'Daily', master, override(alarm('-PT2M', 'dave-moved')));
    assert.equal((await dave()(`${daveHome}r1.ics`, { method: 'PUT', headers: ICS, body: his })).status, 204);
    const daveReads = await text(dave()(`${daveHome}r1.ics`));
    assert.match(daveReads, /dave-moved/);
    assert.doesNotMatch(daveReads, /alice-/);
    // Dave's alarm sits in the override, not the master.
    assert.match(daveReads, /RECURRENCE-ID[^]*dave-moved/);
    assert.doesNotMatch(daveReads, /dave-moved[^]*RECURRENCE-ID/);
    const aliceReads = await text(alice()(`${SHARED}r1.ics`));
    assert.match(aliceReads, /alice-master/);
    assert.match(aliceReads, /alice-moved/);
    assert.doesNotMatch(aliceReads, /dave-/);
  });

  it('ending the share drops the sharee’s per-user data: shared again, they start without alarms', async () => {
    assert.equal((await post(server.url, 'alice', SHARED, unshareBody('mailto:dave@example.com'))).status, 200);
    const again = await shareAndAccept(server.url, 'alice', SHARED, 'dave', 'read-write');
    const got = await text(dave()(`${again}e1.ics`));
    assert.match(got, /Planning v3/);
    assert.doesNotMatch(got, /dave-alarm|alice-alarm/);
    assert.doesNotMatch(await text(dave()(`${again}d1.ics`)), /dave-only/);
  });
});
