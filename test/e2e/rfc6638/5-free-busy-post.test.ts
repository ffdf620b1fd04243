/** RFC 6638 §5 (and Appendix B.5): busy time by POST to the outbox, for several recipients, with a cap. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ICS, startSchedulingServer, type SchedulingServer } from './scheduling-server.js';

let s: SchedulingServer;
before(async () => {
  s = await startSchedulingServer();
});
after(() => s.server.close());

const event = (uid: string, start: string, end: string, extra: string[] = []): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261201T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    'SUMMARY:x',
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

function request(organizer: string, attendees: string[], method = 'METHOD:REQUEST'): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    method,
    'BEGIN:VFREEBUSY',
    'UID:fb-1',
    'DTSTAMP:20261204T000000Z',
    'DTSTART:20270601T000000Z',
    'DTEND:20270602T000000Z',
    `ORGANIZER:mailto:${organizer}`,
    ...attendees.map((a) => `ATTENDEE:mailto:${a}`),
    'END:VFREEBUSY',
    'END:VCALENDAR',
    '',
  ]
    .filter(Boolean)
    .join('\r\n');
}

/** Each recipient's request-status and FREEBUSY lines. */
function parse(xml: string): Map<string, { status: string; busy: string[] }> {
  const out = new Map<string, { status: string; busy: string[] }>();
  for (const m of xml.matchAll(/<C:response>([\s\S]*?)<\/C:response>/g)) {
    const body = m[1] ?? '';
    const who = /<D:href>([^<]+)<\/D:href>/.exec(body)?.[1] ?? '';
    out.set(who, {
      status: /<C:request-status>([^<]+)</.exec(body)?.[1] ?? '',
      busy: [...body.matchAll(/^FREEBUSY[^\r\n]*/gm)].map((b) => b[0]),
    });
  }
  return out;
}

describe('RFC 6638 §5: busy time through the outbox', () => {
  before(async () => {
    const B = '/dav/calendars/bob/default/';
    assert.equal(
      (
        await s.as.bob(`${B}a.ics`, {
          method: 'PUT',
          headers: ICS,
          body: event('a', '20270601T100000Z', '20270601T110000Z'),
        })
      ).status,
      201,
    );
    await s.as.bob(`${B}b.ics`, {
      method: 'PUT',
      headers: ICS,
      body: event('b', '20270601T120000Z', '20270601T130000Z', ['TRANSP:TRANSPARENT']),
    });
    await s.as.bob(`${B}c.ics`, {
      method: 'PUT',
      headers: ICS,
      body: event('c', '20270601T140000Z', '20270601T150000Z', ['STATUS:CANCELLED']),
    });
    await s.as.bob(`${B}d.ics`, {
      method: 'PUT',
      headers: ICS,
      body: event('d', '20270601T180000Z', '20270601T190000Z', ['STATUS:TENTATIVE']),
    });
    // An invitation bob declined is free.
    await s.as.alice('/dav/calendars/alice/default/e.ics', {
      method: 'PUT',
      headers: ICS,
      body: event('e', '20270601T160000Z', '20270601T170000Z', [
        'ORGANIZER:mailto:alice@example.com',
        'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com',
      ]),
    });
    const copy = await (await s.as.bob(`${B}e.ics`)).text();
    assert.equal(
      (
        await s.as.bob(`${B}e.ics`, {
          method: 'PUT',
          headers: ICS,
          body: copy.replace('PARTSTAT=NEEDS-ACTION', 'PARTSTAT=DECLINED'),
        })
      ).status,
      204,
    );
  });

  it('§5, B.5: each recipient gets a request-status; local users their busy time (TRANSP, CANCELLED, declined free), others 3.7', async () => {
    const res = await s.as.alice('/dav/calendars/alice/outbox/', {
      method: 'POST',
      headers: ICS,
      body: request('alice@example.com', ['bob@example.com', 'carol@example.com', 'dave@elsewhere.org']),
    });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /<C:schedule-response/);
    const got = parse(text);
    assert.equal(got.get('mailto:bob@example.com')?.status, '2.0;Success');
    assert.deepEqual(got.get('mailto:bob@example.com')?.busy, [
      'FREEBUSY:20270601T100000Z/20270601T110000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20270601T180000Z/20270601T190000Z',
    ]);
    assert.deepEqual(got.get('mailto:carol@example.com'), { status: '2.0;Success', busy: [] });
    assert.equal(got.get('mailto:dave@elsewhere.org')?.status, '3.7;Invalid calendar user');
    assert.match(text, /METHOD:REPLY/);
  });

  it("§5.2.2 valid-organizer (403), §5.2.1 valid-scheduling-message (400), another user's outbox (403)", async () => {
    const wrong = await s.as.alice('/dav/calendars/alice/outbox/', {
      method: 'POST',
      headers: ICS,
      body: request('bob@example.com', ['carol@example.com']),
    });
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), /valid-organizer/);
    const bad = await s.as.alice('/dav/calendars/alice/outbox/', {
      method: 'POST',
      headers: ICS,
      body: request('alice@example.com', ['bob@example.com'], ''),
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /valid-scheduling-message/);
    assert.equal(
      (
        await s.as.alice('/dav/calendars/bob/outbox/', {
          method: 'POST',
          headers: ICS,
          body: request('alice@example.com', ['bob@example.com']),
        })
      ).status,
      403,
    );
  });

  it('at most 50 recipients are answered; the rest get 5.3', async () => {
    const many = Array.from({ length: 52 }, (_, i) => `u${i}@elsewhere.org`);
    const got = parse(
      await (
        await s.as.alice('/dav/calendars/alice/outbox/', {
          method: 'POST',
          headers: ICS,
          body: request('alice@example.com', many),
        })
      ).text(),
    );
    assert.equal(got.size, 52);
    assert.match(got.get('mailto:u51@elsewhere.org')?.status ?? '', /^5\.3;/);
    assert.match(got.get('mailto:u49@elsewhere.org')?.status ?? '', /^3\.7;/);
  });
});
