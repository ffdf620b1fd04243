/**
 * caldav-sharing §5.5.5 (scheduling): a read-write sharee schedules in a shared calendar as its
 * owner. An ORGANIZER other than the sharer is refused (403 CALDAV:valid-organizer) and nothing
 * is stored or sent; with the sharer as ORGANIZER the invitation goes out from the sharer. The
 * sharer's copy of someone else's meeting keeps its organizer when a sharee edits it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { propfind, shareAndAccept } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

function meeting(uid: string, organizer: string, summary = 'Review'): string {
  return (
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n` +
    `DTSTART:20260110T100000Z\r\nDTEND:20260110T110000Z\r\nSUMMARY:${summary}\r\n` +
    `ORGANIZER:mailto:${organizer}@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.com\r\n` +
    `ATTENDEE;PARTSTAT=ACCEPTED:mailto:${organizer}@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
  );
}

describe('caldav-sharing §5.5.5: scheduling by a sharee', () => {
  let server: TestServer;
  let instance = '';
  const dave = () => davFetch(server.url, 'dave');
  const alice = () => davFetch(server.url, 'alice');

  /** The iTIP messages in carol's scheduling inbox. */
  async function carolsInbox(): Promise<string[]> {
    const listing = await propfind(server.url, 'carol', '/dav/calendars/carol/inbox/', '<D:getetag/>', '1');
    const hrefs = [...listing.matchAll(/<D:href>([^<]+\.ics)<\/D:href>/g)].map((m) => m[1]!);
    return Promise.all(hrefs.map(async (h) => (await davFetch(server.url, 'carol')(h)).text()));
  }

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', carol: 'carol-pw', dave: 'dave-pw' } });
    assert.equal((await alice()(SHARED, { method: 'MKCALENDAR' })).status, 201);
    instance = await shareAndAccept(server.url, 'alice', SHARED, 'dave', 'read-write');
  });
  after(async () => server.close());

  it('an ORGANIZER other than the sharer is refused with CALDAV:valid-organizer; nothing is stored or sent', async () => {
    const res = await dave()(`${instance}m1.ics`, { method: 'PUT', headers: ICS, body: meeting('m1', 'dave') });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<C:valid-organizer|valid-organizer/);
    assert.equal((await alice()(`${SHARED}m1.ics`)).status, 404);
    assert.deepEqual(await carolsInbox(), []);
  });

  it('with the sharer as ORGANIZER the meeting is scheduled from the sharer’s calendar', async () => {
    const res = await dave()(`${instance}m2.ics`, { method: 'PUT', headers: ICS, body: meeting('m2', 'alice') });
    assert.equal(res.status, 201);
    const inbox = await carolsInbox();
    assert.equal(inbox.length, 1);
    assert.match(inbox[0]!, /METHOD:REQUEST/);
    assert.match(inbox[0]!, /ORGANIZER[^\r\n]*:mailto:alice@example\.com/i);
    assert.match(await (await alice()(`${SHARED}m2.ics`)).text(), /SCHEDULE-STATUS/);
  });

  it('the sharer’s copy of another organizer’s meeting keeps that organizer through a sharee’s edit; changing it is refused', async () => {
    // Alice's copy of carol's meeting, kept by alice's client (carol organizes, no server scheduling).
    const copy = meeting('m3', 'carol').replace(
      'ORGANIZER:mailto:carol@example.com',
      'ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:carol@example.com',
    );
    assert.equal((await alice()(`${SHARED}m3.ics`, { method: 'PUT', headers: ICS, body: copy })).status, 201);
    const edited = copy.replace('SUMMARY:Review', 'SUMMARY:Review (notes)');
    assert.equal((await dave()(`${instance}m3.ics`, { method: 'PUT', headers: ICS, body: edited })).status, 204);
    const hijacked = edited.replace(
      /mailto:carol@example\.com\r\nATTENDEE;PARTSTAT=NEEDS/,
      'mailto:dave@example.com\r\nATTENDEE;PARTSTAT=NEEDS',
    );
    assert.match(hijacked, /ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:dave@example\.com/);
    const res = await dave()(`${instance}m3.ics`, { method: 'PUT', headers: ICS, body: hijacked });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /valid-organizer/);
    assert.match(await (await alice()(`${SHARED}m3.ics`)).text(), /Review \(notes\)/);
  });

  it('the owner is not bound by the rule: alice may store a meeting organized by someone else', async () => {
    const res = await alice()(`${SHARED}m4.ics`, { method: 'PUT', headers: ICS, body: meeting('m4', 'dave') });
    assert.ok(res.status === 201, `owner's PUT: ${res.status}`);
  });
});
