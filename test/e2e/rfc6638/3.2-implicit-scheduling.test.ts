/**
 * RFC 6638 §3.2 implicit scheduling between users of one server: the organizer's PUT and DELETE
 * (§3.2.1), the attendee's PUT and DELETE (§3.2.2, §8.1 Schedule-Reply), delivery into the
 * attendee's inbox and default calendar (§4), SCHEDULE-STATUS (§7.3), and the outbound queue for
 * attendees elsewhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../../helpers/server.js';
import {
  ICS,
  inboxBodies,
  invitation,
  startSchedulingServer,
  unfold,
  type SchedulingServer,
} from './scheduling-server.js';

let server: TestServer;
let as: SchedulingServer['as'];
before(async () => {
  ({ server, as } = await startSchedulingServer());
});
after(() => server.close());

async function text(user: keyof typeof as, path: string): Promise<{ status: number; body: string }> {
  const res = await as[user](path);
  return { status: res.status, body: await res.text() };
}

const inbox = (user: keyof typeof as): Promise<string[]> => inboxBodies(server.store, user);

describe('RFC 6638 §3.2: implicit scheduling between users of this server', () => {
  it('§3.2.1.1: an organizer PUT invites internal attendees (inbox + default calendar) and queues external ones, with SCHEDULE-STATUS', async () => {
    const res = await as.alice('/dav/calendars/alice/default/m1.ics', {
      method: 'PUT',
      headers: ICS,
      body: invitation('m1', ['bob@example.com', 'carol@example.com', 'dave@elsewhere.org']),
    });
    assert.equal(res.status, 201);
    const bobInbox = await inbox('bob');
    assert.equal(bobInbox.length, 1);
    assert.match(bobInbox[0] ?? '', /METHOD:REQUEST/);
    const bobCopy = await text('bob', '/dav/calendars/bob/default/m1.ics');
    assert.equal(bobCopy.status, 200);
    assert.doesNotMatch(bobCopy.body, /METHOD/);
    assert.deepEqual(await inbox('alice'), [], 'the organizer gets nothing');
    const organizer = unfold((await text('alice', '/dav/calendars/alice/default/m1.ics')).body);
    assert.match(organizer, /SCHEDULE-STATUS=1\.2:mailto:bob@example\.com/);
    assert.match(organizer, /SCHEDULE-STATUS=1\.0:mailto:dave@elsewhere\.org/);
    const queued = await server.store.pendingItip(10);
    assert.deepEqual(
      queued.map((m) => `${m.method} ${m.recipient} ${m.organizer}`),
      ['REQUEST mailto:dave@elsewhere.org mailto:alice@example.com'],
    );
  });

  it("§3.2.2: an attendee PUT that accepts sends a REPLY: the organizer copy shows it, the organizer inbox holds it; the other attendees' copies show it too (Schedule-Tag kept, §3.2.10)", async () => {
    const carolTag = (await as.carol('/dav/calendars/carol/default/m1.ics')).headers.get('schedule-tag');
    assert.ok(carolTag);
    const copy = (await text('bob', '/dav/calendars/bob/default/m1.ics')).body;
    const accepted = copy.replace(
      /PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example\.com/,
      'PARTSTAT=ACCEPTED:mailto:bob@example.com',
    );
    assert.notEqual(accepted, copy);
    assert.equal(
      (await as.bob('/dav/calendars/bob/default/m1.ics', { method: 'PUT', headers: ICS, body: accepted })).status,
      204,
    );
    const organizer = unfold((await text('alice', '/dav/calendars/alice/default/m1.ics')).body);
    assert.match(organizer, /PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2\.0:mailto:bob@example\.com/);
    const replies = await inbox('alice');
    assert.equal(replies.length, 1);
    assert.match(replies[0] ?? '', /METHOD:REPLY/);
    assert.doesNotMatch(replies[0] ?? '', /carol/, 'the REPLY holds the replying attendee only');
    const carol = await as.carol('/dav/calendars/carol/default/m1.ics');
    assert.match(unfold(await carol.text()), /ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example\.com/);
    assert.equal(carol.headers.get('schedule-tag'), carolTag);
  });

  it('§3.2.1.2: a significant change re-invites with a higher SEQUENCE; a removed attendee gets CANCEL and loses the copy', async () => {
    const res = await as.alice('/dav/calendars/alice/default/m1.ics', {
      method: 'PUT',
      headers: ICS,
      body: invitation('m1', ['bob@example.com', 'dave@elsewhere.org'], '20270111T100000Z'),
    });
    assert.equal(res.status, 204);
    const bobCopy = unfold((await text('bob', '/dav/calendars/bob/default/m1.ics')).body);
    assert.match(bobCopy, /DTSTART:20270111T100000Z/);
    assert.match(bobCopy, /SEQUENCE:1/);
    assert.equal((await inbox('bob')).length, 2);
    assert.equal((await text('carol', '/dav/calendars/carol/default/m1.ics')).status, 404);
    assert.ok((await inbox('carol')).some((m) => /METHOD:CANCEL/.test(m)));
  });

  it('§8.1: an attendee DELETE with Schedule-Reply: F sends nothing; without it, DECLINED', async () => {
    await as.alice('/dav/calendars/alice/default/m2.ics', {
      method: 'PUT',
      headers: ICS,
      body: invitation('m2', ['bob@example.com', 'carol@example.com']),
    });
    const before = (await inbox('alice')).length;
    assert.equal(
      (await as.bob('/dav/calendars/bob/default/m2.ics', { method: 'DELETE', headers: { 'Schedule-Reply': 'F' } }))
        .status,
      204,
    );
    assert.equal((await inbox('alice')).length, before);
    assert.equal((await as.carol('/dav/calendars/carol/default/m2.ics', { method: 'DELETE' })).status, 204);
    assert.equal((await inbox('alice')).length, before + 1);
    const organizer = unfold((await text('alice', '/dav/calendars/alice/default/m2.ics')).body);
    assert.match(organizer, /PARTSTAT=DECLINED;SCHEDULE-STATUS=2\.0:mailto:carol@example\.com/);
    assert.match(organizer, /PARTSTAT=NEEDS-ACTION;RSVP=TRUE;SCHEDULE-STATUS=1\.2:mailto:bob@example\.com/);
  });

  it('§3.2.1.3: the organizer DELETE cancels: attendee copies go, CANCEL in their inboxes and in the queue', async () => {
    assert.equal((await as.alice('/dav/calendars/alice/default/m1.ics', { method: 'DELETE' })).status, 204);
    assert.equal((await text('bob', '/dav/calendars/bob/default/m1.ics')).status, 404);
    assert.ok((await inbox('bob')).some((m) => /METHOD:CANCEL/.test(m)));
    assert.ok(
      (await server.store.pendingItip(10)).some(
        (m) => m.method === 'CANCEL' && m.recipient === 'mailto:dave@elsewhere.org',
      ),
    );
  });

  it('§7.1: SCHEDULE-AGENT=CLIENT on an attendee: the server sends that attendee nothing', async () => {
    const body = invitation('m3', ['carol@example.com']).replace(
      'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol',
      'ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:carol',
    );
    const n = (await inbox('carol')).length;
    assert.equal(
      (await as.alice('/dav/calendars/alice/default/m3.ics', { method: 'PUT', headers: ICS, body })).status,
      201,
    );
    assert.equal((await inbox('carol')).length, n);
    assert.equal((await text('carol', '/dav/calendars/carol/default/m3.ics')).status, 404);
  });
});
