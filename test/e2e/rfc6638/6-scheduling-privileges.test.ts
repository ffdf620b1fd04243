/**
 * RFC 6638 §6: scheduling privileges. They appear in DAV:supported-privilege-set of the inbox
 * (§6.1: schedule-deliver ⊃ deliver-invite, deliver-reply, query-freebusy) and the outbox (§6.2:
 * schedule-send ⊃ send-invite, send-reply, send-freebusy), aggregated under DAV:all (§6.3), and
 * nowhere else. Alice holds all of them on her boxes; every other user may deliver to her inbox;
 * Bob, her write proxy, may send from her outbox (what Apple clients check before they offer to
 * invite on her behalf). Carol, granted DAV:write on one of Alice's calendars by an ACL, may
 * write events there but not make the server send invitations as Alice (§6.2.2): 403
 * need-privileges naming CALDAV:schedule-send-invite on the outbox, and nothing is stored or sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { setMembers } from '../caldav-proxy/proxy-client.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const PRIVS =
  '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>' +
  '<D:current-user-privilege-set/><D:supported-privilege-set/></D:prop></D:propfind>';

const meeting = (uid: string, attendee = 'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.com'): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20270101T000000Z',
    'DTSTART:20270410T090000Z',
    'DTEND:20270410T100000Z',
    'SUMMARY:Planning',
    'ORGANIZER:mailto:alice@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
    attendee,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

let server: TestServer;
const as = (user: string) => davFetch(server.url, user);

async function privileges(user: string, path: string): Promise<{ current: string; supported: string }> {
  const res = await as(user)(path, { method: 'PROPFIND', headers: { ...XML, Depth: '0' }, body: PRIVS });
  assert.equal(res.status, 207, path);
  const text = await res.text();
  const current =
    /current-user-privilege-set>([\s\S]*?)<\/[A-Za-z]*:?current-user-privilege-set>/.exec(text)?.[1] ?? '';
  const supported = /supported-privilege-set>([\s\S]*?)<\/[A-Za-z]*:?supported-privilege-set>/.exec(text)?.[1] ?? '';
  return { current, supported };
}

async function inboxItems(user: string): Promise<number> {
  const res = await as(user)(`/dav/calendars/${user}/inbox/`, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '1' },
    body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
  });
  return ((await res.text()).match(/\.ics<\/[A-Za-z]*:?href>/g) ?? []).length;
}

before(async () => {
  server = await startTestServer({
    users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', dave: 'dave-pw' },
  });
  const proxy = await as('alice')('/dav/principals/users/alice/calendar-proxy-write/', {
    method: 'PROPPATCH',
    headers: XML,
    body: setMembers('bob'),
  });
  assert.equal(proxy.status, 207);
  const acl = await as('alice')('/dav/calendars/alice/default/', {
    method: 'ACL',
    headers: XML,
    body:
      '<?xml version="1.0" encoding="utf-8"?><D:acl xmlns:D="DAV:"><D:ace><D:principal>' +
      '<D:href>/dav/principals/users/carol/</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege>' +
      '<D:privilege><D:write/></D:privilege></D:grant></D:ace></D:acl>',
  });
  assert.equal(acl.status, 200, await acl.text());
});
after(() => server.close());

describe('RFC 6638 §6: scheduling privileges', () => {
  it('§6.1/§6.2: the inbox and the outbox list their own privileges under DAV:all; a calendar lists none', async () => {
    const inbox = await privileges('alice', '/dav/calendars/alice/inbox/');
    for (const p of [
      'schedule-deliver',
      'schedule-deliver-invite',
      'schedule-deliver-reply',
      'schedule-query-freebusy',
    ])
      assert.match(
        inbox.supported,
        new RegExp(`<[A-Za-z]+:${p} xmlns:[A-Za-z]+="urn:ietf:params:xml:ns:caldav"/>|<[A-Za-z]+:${p}/>`),
        p,
      );
    assert.doesNotMatch(inbox.supported, /schedule-send/);
    assert.match(inbox.current, /schedule-deliver-invite/);
    const outbox = await privileges('alice', '/dav/calendars/alice/outbox/');
    for (const p of ['schedule-send', 'schedule-send-invite', 'schedule-send-reply', 'schedule-send-freebusy'])
      assert.match(outbox.supported, new RegExp(`:${p}[ />]`), p);
    assert.doesNotMatch(outbox.supported, /schedule-deliver/);
    assert.match(outbox.current, /schedule-send-invite/);
    const calendar = await privileges('alice', '/dav/calendars/alice/default/');
    assert.doesNotMatch(calendar.current + calendar.supported, /schedule-/);
  });

  it('§6.2: the write proxy holds schedule-send on the owner’s outbox', async () => {
    const outbox = await privileges('bob', '/dav/calendars/alice/outbox/');
    for (const p of ['schedule-send', 'schedule-send-invite', 'schedule-send-reply', 'schedule-send-freebusy'])
      assert.match(outbox.current, new RegExp(`:${p}[ />]`), p);
  });

  it('§6.1: the owner’s inbox ACL grants DAV:authenticated schedule-deliver, protected', async () => {
    const res = await as('alice')('/dav/calendars/alice/inbox/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '0' },
      body: '<D:propfind xmlns:D="DAV:"><D:prop><D:acl/></D:prop></D:propfind>',
    });
    const text = await res.text();
    assert.match(
      text,
      /<D:authenticated\/><\/D:principal><D:grant><D:privilege><[A-Za-z]+:schedule-deliver[ />][\s\S]*?<D:protected\/>/,
    );
  });

  it('§6.2.2: a writer of one calendar may store events there but not send invitations as its owner', async () => {
    const plain = meeting('carol-plain').replace(/ORGANIZER[^\r]*\r\n|ATTENDEE[^\r]*\r\n/g, '');
    const ok = await as('carol')('/dav/calendars/alice/default/carol-plain.ics', {
      method: 'PUT',
      headers: ICS,
      body: plain,
    });
    assert.equal(ok.status, 201, await ok.text());
    const before = await inboxItems('dave');
    const res = await as('carol')('/dav/calendars/alice/default/carol-meeting.ics', {
      method: 'PUT',
      headers: ICS,
      body: meeting('carol-meeting'),
    });
    assert.equal(res.status, 403);
    const body = await res.text();
    assert.match(body, /need-privileges/);
    assert.match(body, /calendars\/alice\/outbox\//);
    assert.match(body, /schedule-send-invite/);
    assert.equal((await as('alice')('/dav/calendars/alice/default/carol-meeting.ics')).status, 404);
    assert.equal(await inboxItems('dave'), before, 'no invitation reached Dave');
  });

  it('§6.2.2: the write proxy’s meeting in the owner’s calendar invites as the owner', async () => {
    const before = await inboxItems('dave');
    const res = await as('bob')('/dav/calendars/alice/default/bob-meeting.ics', {
      method: 'PUT',
      headers: ICS,
      body: meeting('bob-meeting'),
    });
    assert.equal(res.status, 201, await res.text());
    assert.equal(await inboxItems('dave'), before + 1);
  });
});
