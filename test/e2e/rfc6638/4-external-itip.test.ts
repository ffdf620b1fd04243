/**
 * Scheduling with calendar users outside the server (RFC 6638 §4 delivery by another transport,
 * RFC 6047 iMIP): what implicit scheduling queues for them, how the transport claims and marks
 * it, and what `receiveExternalItip` does with their messages (RFC 5546 §3.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimOutboundItip, markOutboundItip, receiveExternalItip } from '../../../src/domain/scheduling/index.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { inboxBodies, unfold } from './scheduling-server.js';

let server: TestServer;
let alice: ReturnType<typeof davFetch>;
let bob: ReturnType<typeof davFetch>;
const ids: Record<string, number> = {};
before(async () => {
  server = await startTestServer();
  alice = davFetch(server.url, 'alice');
  bob = davFetch(server.url, 'bob');
  for (const name of ['alice', 'bob']) ids[name] = (await server.store.getUserByName(name))?.id ?? -1;
});
after(() => server.close());

const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const cal = (method: string | null, lines: string[]): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    ...(method ? [`METHOD:${method}`] : []),
    'BEGIN:VEVENT',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('scheduling with users outside the server', () => {
  it('an external attendee is queued once; claim leases it, mark records the outcome', async () => {
    const res = await alice('/dav/calendars/alice/default/x1.ics', {
      method: 'PUT',
      headers: ICS,
      body: cal(null, [
        'UID:x1',
        'DTSTAMP:20261201T000000Z',
        'DTSTART:20270301T090000Z',
        'DTEND:20270301T100000Z',
        'SUMMARY:Review',
        'ORGANIZER:mailto:alice@example.com',
        'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@elsewhere.org',
      ]),
    });
    assert.equal(res.status, 201);
    const claimed = await claimOutboundItip(server.store, 10);
    assert.deepEqual(
      claimed.map((m) => [m.recipient, m.method, m.organizer, m.senderUserId]),
      [['mailto:dave@elsewhere.org', 'REQUEST', 'mailto:alice@example.com', ids.alice]],
    );
    assert.match(claimed[0]?.icsText ?? '', /METHOD:REQUEST/);
    assert.deepEqual(await claimOutboundItip(server.store, 10), [], 'a leased message is not claimed twice');
    await markOutboundItip(server.store, claimed[0]?.id ?? -1, { ok: true });
    assert.equal((await server.store.getItip(claimed[0]?.id ?? -1))?.state, 'sent');
  });

  it('RFC 5546 §3.2.3: an Outlook REPLY without ORGANIZER from the attendee is applied; one from someone else is refused', async () => {
    const reply = (partstat: string): string =>
      cal('REPLY', ['UID:x1', 'DTSTAMP:20261202T000000Z', `ATTENDEE;PARTSTAT=${partstat}:mailto:Dave@elsewhere.org`]);
    const forged = await receiveExternalItip(server.store, {
      recipient: ids.alice ?? -1,
      sender: 'mailto:mallory@elsewhere.org',
      method: 'REPLY',
      icsText: reply('DECLINED'),
    });
    assert.equal(typeof forged, 'object');
    const ok = await receiveExternalItip(server.store, {
      recipient: ids.alice ?? -1,
      sender: 'mailto:dave@elsewhere.org',
      method: 'REPLY',
      icsText: reply('ACCEPTED'),
    });
    assert.equal(ok, 'applied');
    const copy = unfold(await (await alice('/dav/calendars/alice/default/x1.ics')).text());
    assert.match(copy, /PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2\.0:mailto:dave@elsewhere\.org/);
    assert.ok((await inboxBodies(server.store, 'alice')).some((b) => /METHOD:REPLY/.test(b)));
  });

  it('RFC 5546 §3.2.7: a COUNTER reaches the organizer inbox and changes nothing', async () => {
    const before = await (await alice('/dav/calendars/alice/default/x1.ics')).text();
    const counter = cal('COUNTER', [
      'UID:x1',
      'DTSTAMP:20261202T000000Z',
      'DTSTART:20270302T090000Z',
      'DTEND:20270302T100000Z',
      'ORGANIZER:mailto:alice@example.com',
      'ATTENDEE;PARTSTAT=ACCEPTED:mailto:dave@elsewhere.org',
    ]);
    assert.equal(
      await receiveExternalItip(server.store, {
        recipient: ids.alice ?? -1,
        sender: 'mailto:dave@elsewhere.org',
        method: 'COUNTER',
        icsText: counter,
      }),
      'applied',
    );
    assert.equal(await (await alice('/dav/calendars/alice/default/x1.ics')).text(), before);
    assert.ok((await inboxBodies(server.store, 'alice')).some((b) => /METHOD:COUNTER/.test(b)));
  });

  it('an outside REQUEST lands in the inbox and calendar; the local attendee accepting queues a REPLY; only the organizer may CANCEL', async () => {
    const event = [
      'UID:ext-1',
      'DTSTAMP:20261201T000000Z',
      'DTSTART:20270401T090000Z',
      'DTEND:20270401T100000Z',
      'SUMMARY:Outside',
      'ORGANIZER;CN=Erin:mailto:erin@elsewhere.org',
    ];
    const request = cal('REQUEST', [...event, 'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com']);
    assert.equal(
      await receiveExternalItip(server.store, {
        recipient: ids.bob ?? -1,
        sender: 'mailto:mallory@elsewhere.org',
        method: 'REQUEST',
        icsText: request,
      }).then((o) => typeof o),
      'object',
    );
    assert.equal(
      await receiveExternalItip(server.store, {
        recipient: ids.bob ?? -1,
        sender: 'mailto:erin@elsewhere.org',
        method: 'REQUEST',
        icsText: request,
      }),
      'applied',
    );
    const copy = await bob('/dav/calendars/bob/default/ext-1.ics');
    assert.equal(copy.status, 200);
    const accepted = (await copy.text()).replace(
      'PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob',
      'PARTSTAT=ACCEPTED:mailto:bob',
    );
    assert.equal(
      (await bob('/dav/calendars/bob/default/ext-1.ics', { method: 'PUT', headers: ICS, body: accepted })).status,
      204,
    );
    const queued = await server.store.pendingItip(10);
    assert.deepEqual(
      queued.map((m) => [m.recipient, m.method, m.senderUserId]),
      [['mailto:erin@elsewhere.org', 'REPLY', ids.bob]],
    );
    const cancel = cal('CANCEL', [...event, 'SEQUENCE:1', 'STATUS:CANCELLED', 'ATTENDEE:mailto:bob@example.com']);
    assert.equal(
      typeof (await receiveExternalItip(server.store, {
        recipient: ids.bob ?? -1,
        sender: 'mailto:mallory@elsewhere.org',
        method: 'CANCEL',
        icsText: cancel,
      })),
      'object',
    );
    assert.equal((await bob('/dav/calendars/bob/default/ext-1.ics')).status, 200);
    assert.equal(
      await receiveExternalItip(server.store, {
        recipient: ids.bob ?? -1,
        sender: 'mailto:erin@elsewhere.org',
        method: 'CANCEL',
        icsText: cancel,
      }),
      'applied',
    );
    assert.equal((await bob('/dav/calendars/bob/default/ext-1.ics')).status, 404);
  });
});
