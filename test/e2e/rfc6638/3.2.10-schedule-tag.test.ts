/**
 * RFC 6638 §3.2.10, §8.2, §8.3: Schedule-Tag on the organizer's and the attendee's copy, and
 * If-Schedule-Tag-Match — a matching tag merges the replies the server applied meanwhile
 * instead of failing, a stale one is 412.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ICS, startSchedulingServer, unfold, type SchedulingServer, type UserFetch } from './scheduling-server.js';

let s: SchedulingServer;
before(async () => {
  s = await startSchedulingServer();
});
after(() => s.server.close());

const ORG = '/dav/calendars/alice/default/t1.ics';
const ATT = '/dav/calendars/bob/default/t1.ics';
const event = (summary: string, start = '20270510T090000Z'): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    'UID:t1',
    'DTSTAMP:20261201T000000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    `SUMMARY:${summary}`,
    'ORGANIZER:mailto:alice@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
    'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com',
    'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:carol@example.com',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

async function tagOf(f: UserFetch, path: string): Promise<string | null> {
  const res = await f(path);
  await res.text();
  return res.headers.get('schedule-tag');
}

describe('RFC 6638 §3.2.10: Schedule-Tag and If-Schedule-Tag-Match', () => {
  let organizerTag = '';

  it('§8.2: PUT and GET of a scheduling object answer its Schedule-Tag (and PROPFIND schedule-tag); no ETag when the server changed the body', async () => {
    const res = await s.as.alice(ORG, { method: 'PUT', headers: ICS, body: event('Design review') });
    assert.equal(res.status, 201);
    organizerTag = res.headers.get('schedule-tag') ?? '';
    assert.match(organizerTag, /^".+"$/);
    assert.equal(res.headers.get('etag'), null, 'SCHEDULE-STATUS was added: the stored body is not what was sent');
    assert.equal(await tagOf(s.as.alice, ORG), organizerTag);
    const ms = await (
      await s.as.alice(ORG, {
        method: 'PROPFIND',
        headers: { Depth: '0', 'Content-Type': 'application/xml' },
        body: '<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:schedule-tag/></D:prop></D:propfind>',
      })
    ).text();
    assert.ok(ms.includes(organizerTag.replace(/"/g, '&quot;')) || ms.includes(organizerTag), ms);
    const plain = await s.as.alice('/dav/calendars/alice/default/plain.ics', {
      method: 'PUT',
      headers: ICS,
      body: event('x')
        .replace('UID:t1', 'UID:plain')
        .replace(/ORGANIZER.*\r\n|ATTENDEE.*\r\n/g, ''),
    });
    assert.equal(plain.headers.get('schedule-tag'), null, 'no tag on an object without ORGANIZER');
    assert.equal(plain.status, 201, await plain.text());
    assert.ok(plain.headers.get('etag'));
  });

  it('§3.2.10 organizer rule 1: a REPLY applied to the organizer copy keeps its Schedule-Tag', async () => {
    const copy = await (await s.as.bob(ATT)).text();
    const before = await tagOf(s.as.bob, ATT);
    const put = await s.as.bob(ATT, {
      method: 'PUT',
      headers: ICS,
      body: copy.replace('PARTSTAT=NEEDS-ACTION:mailto:bob', 'PARTSTAT=ACCEPTED:mailto:bob'),
    });
    assert.equal(put.status, 204);
    assert.notEqual(put.headers.get('schedule-tag'), before, 'attendee rule 3: a direct PUT changes the tag');
    assert.match(unfold(await (await s.as.alice(ORG)).text()), /PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2\.0:mailto:bob/);
    assert.equal(await tagOf(s.as.alice, ORG), organizerTag);
  });

  it("§3.2.10.1: If-Schedule-Tag-Match that matches merges the attendees' replies into the PUT; a stale tag is 412", async () => {
    const res = await s.as.alice(ORG, {
      method: 'PUT',
      headers: { ...ICS, 'If-Schedule-Tag-Match': organizerTag },
      body: event('Design review in room 2'),
    });
    assert.equal(res.status, 204);
    const stored = unfold(await (await s.as.alice(ORG)).text());
    assert.match(stored, /SUMMARY:Design review in room 2/);
    assert.match(
      stored,
      /PARTSTAT=ACCEPTED[^:]*:mailto:bob@example\.com/,
      "bob's reply survived the organizer's stale body",
    );
    const newTag = res.headers.get('schedule-tag');
    assert.ok(newTag && newTag !== organizerTag, 'organizer rule 2: a direct PUT changes the tag');
    const stale = await s.as.alice(ORG, {
      method: 'PUT',
      headers: { ...ICS, 'If-Schedule-Tag-Match': organizerTag },
      body: event('Lost update'),
    });
    assert.equal(stale.status, 412);
    assert.doesNotMatch(await (await s.as.alice(ORG)).text(), /Lost update/);
  });

  it('§3.2.10 attendee rule 1: an organizer update with real changes gives the attendee copy a new tag; §3.2.10.2: DELETE with a stale one is 412', async () => {
    const before = await tagOf(s.as.bob, ATT);
    const moved = await s.as.alice(ORG, {
      method: 'PUT',
      headers: ICS,
      body: event('Design review in room 2', '20270511T090000Z'),
    });
    assert.equal(moved.status, 204);
    const after = await tagOf(s.as.bob, ATT);
    assert.ok(after && after !== before);
    assert.equal(
      (await s.as.bob(ATT, { method: 'DELETE', headers: { 'If-Schedule-Tag-Match': before ?? '' } })).status,
      412,
    );
    assert.equal((await s.as.bob(ATT, { method: 'DELETE', headers: { 'If-Schedule-Tag-Match': after } })).status, 204);
  });
});
