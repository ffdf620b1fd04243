/**
 * RFC 6638 §3.2.2 from a real SyncML phone: Alice invites Bob by CalDAV; the server delivers the
 * invitation into Bob's default calendar (§4); Bob's phone (SyncEvolution 2.0, the Synthesis
 * engine of many phones) receives it in a sync, its user accepts or deletes it there, and the
 * next sync sends Alice a REPLY (§3.2.2.3 modify, §3.2.2.4 remove → DECLINED). One phone speaks
 * iCalendar 2.0, another vCalendar 1.0 (ATTENDEE;STATUS=…, digest §14). One server for the file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { attendee, invitation, unfold } from '../../syncml/invitation.js';
import { phoneMissing, SyncEvolutionPhone } from './syncevolution-phone.js';

const missing = phoneMissing();

let server: TestServer;
let alice: ReturnType<typeof davFetch>;
let bob: ReturnType<typeof davFetch>;
let icalPhone: SyncEvolutionPhone;
let vcalPhone: SyncEvolutionPhone;

/** The phone's item with Bob's PARTSTAT set, as its user answering the invitation would. */
function answer(text: string, partstat: string): string {
  const out = unfold(text).replace(
    /^(ATTENDEE[^\n]*)PARTSTAT=NEEDS-ACTION([^\n]*:mailto:bob@example\.com\r?)$/m,
    `$1PARTSTAT=${partstat}$2`,
  );
  assert.notEqual(out, unfold(text), 'Bob is an attendee of the item');
  return out;
}

async function get(as: ReturnType<typeof davFetch>, path: string): Promise<string> {
  const res = await as(path);
  assert.equal(res.status, 200, `GET ${path}`);
  return unfold(await res.text());
}

describe('interop (SyncEvolution): a SyncML phone answers an invitation (RFC 6638 §3.2.2)', { skip: missing }, () => {
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
    alice = davFetch(server.url, 'alice');
    bob = davFetch(server.url, 'bob');
    for (const [uid, summary] of [
      ['inv-ical', 'Planning'],
      ['inv-vcal', 'Review'],
      ['inv-gone', 'Retro'],
    ] as const) {
      const res = await alice(`/dav/calendars/alice/default/${uid}.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
        body: invitation(uid, summary, 'alice', ['bob', 'carol']),
      });
      assert.equal(res.status, 201);
    }
    const url = `${server.url}/syncml`;
    [icalPhone, vcalPhone] = await Promise.all([
      SyncEvolutionPhone.create({ url, user: 'bob', password: 'bob-pw', deviceId: 'sc-bob-phone-ical' }),
      SyncEvolutionPhone.create({ url, user: 'bob', password: 'bob-pw', deviceId: 'sc-bob-phone-vcal', legacy: true }),
    ]);
  });
  after(async () => {
    await Promise.all([icalPhone.close(), vcalPhone.close()]);
    await server.close();
  });

  it('§3.2.2.3: the iCalendar 2.0 phone receives the invitation, accepts it, and Alice sees Bob ACCEPTED', async () => {
    await icalPhone.sync('slow');
    const item = await icalPhone.find(/UID:inv-ical/);
    assert.match(attendee(item.text, 'bob'), /PARTSTAT=NEEDS-ACTION/);
    await icalPhone.edit(item.luid, answer(item.text, 'ACCEPTED'));
    await icalPhone.sync();
    const bobs = await get(bob, '/dav/calendars/bob/default/inv-ical.ics');
    assert.match(attendee(bobs, 'bob'), /PARTSTAT=ACCEPTED/);
    // The phone lost the X- property and added a DESCRIPTION: Bob's copy keeps the organizer's data.
    assert.match(bobs, /X-ORGANIZER-NOTE:kept by alice/);
    assert.doesNotMatch(bobs, /DESCRIPTION/);
    assert.match(bobs, /ORGANIZER;CN=Alice:mailto:alice@example\.com/);
    assert.match(attendee(bobs, 'carol'), /CN=Carol;PARTSTAT=NEEDS-ACTION/);
    const alices = await get(alice, '/dav/calendars/alice/default/inv-ical.ics');
    assert.match(attendee(alices, 'bob'), /PARTSTAT=ACCEPTED/);
    assert.match(attendee(alices, 'bob'), /SCHEDULE-STATUS=2\.0/);
    assert.match(attendee(alices, 'carol'), /PARTSTAT=NEEDS-ACTION/);
  });

  it('vCalendar 1.0 on the wire (ATTENDEE;STATUS=…): the phone sees the organizer and declines; Alice sees Bob DECLINED', async () => {
    await vcalPhone.sync('slow');
    const item = await vcalPhone.find(/UID:inv-vcal/);
    assert.match(unfold(item.text), /ORGANIZER[^\n]*:mailto:alice@example\.com/);
    assert.match(attendee(item.text, 'bob'), /PARTSTAT=NEEDS-ACTION/);
    await vcalPhone.edit(item.luid, answer(item.text, 'DECLINED'));
    await vcalPhone.sync();
    const bobs = await get(bob, '/dav/calendars/bob/default/inv-vcal.ics');
    assert.match(attendee(bobs, 'bob'), /PARTSTAT=DECLINED/);
    assert.match(bobs, /X-ORGANIZER-NOTE:kept by alice/);
    assert.match(attendee(bobs, 'carol'), /CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT/);
    assert.match(attendee(await get(alice, '/dav/calendars/alice/default/inv-vcal.ics'), 'bob'), /PARTSTAT=DECLINED/);
  });

  it('§3.2.2.4: deleting the invitation on the phone declines it', async () => {
    const item = await vcalPhone.find(/UID:inv-gone/);
    await vcalPhone.remove(item.luid);
    await vcalPhone.sync();
    assert.equal((await bob('/dav/calendars/bob/default/inv-gone.ics')).status, 404);
    assert.match(attendee(await get(alice, '/dav/calendars/alice/default/inv-gone.ics'), 'bob'), /PARTSTAT=DECLINED/);
  });
});
