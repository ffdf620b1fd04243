/**
 * RFC 6047 §2.4-2.6, receiving: the text/calendar part is found inside multipart/alternative
 * and multipart/mixed, its `method` parameter must equal the iCalendar METHOD, base64 and
 * quoted-printable bodies are decoded (§2.5), the same object sent twice (Gmail's inline part and
 * its invite.ics) counts once, the Content-Type decides and never the file name (§2.6), and a
 * message with no calendar is rejected with a reason. Messages are shaped like Gmail's and
 * Outlook's (test/mail/fixtures/).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseItipMail } from '../../src/mail/parse-itip-mail.js';
import { readItipObject } from '../../src/mail/itip-object.js';
import { fixture, GMAIL_UID, OUTLOOK_REPLY_UID, REPLY } from './helpers/fixtures.js';

async function parsed(raw: Buffer) {
  const r = await parseItipMail(raw, { reply: REPLY });
  if ('rejected' in r) assert.fail(`rejected: ${r.rejected}`);
  return r.ok;
}

describe('RFC 6047 §2.4 text/calendar parts of received messages', () => {
  it('Gmail REPLY: multipart/mixed(alternative(plain, html, calendar), invite.ics) → one REPLY, the token from To', async () => {
    const mail = await parsed(fixture('gmail-reply.eml'));
    assert.equal(mail.from, 'bob.example@gmail.com');
    assert.equal(mail.method, 'REPLY');
    assert.equal(mail.parts.length, 1, 'the inline part and invite.ics are the same object');
    assert.equal(mail.token, 'mfwgsy3f-ccoxtxk3qasnj2nc');
    assert.equal(mail.messageId, '<CAJ4x7Q2f0mVh3Lr9b2Xk1pZ8sT6yN5uW0aE3dC7gH9iK2jL4mN@mail.gmail.com>');
    const obj = readItipObject(mail.icsText);
    assert.equal(obj.uid, GMAIL_UID);
    assert.deepEqual(obj.attendees, ['bob.example@gmail.com']);
  });

  it('Outlook REPLY: base64 text/calendar without ORGANIZER, Windows TZID', async () => {
    const mail = await parsed(fixture('outlook-reply-no-organizer.eml'));
    assert.equal(mail.from, 'carol.jones@outlook.com');
    assert.equal(mail.method, 'REPLY');
    assert.equal(mail.token, 'mfwgsy3f-fwje6eppwvyi4zip');
    const obj = readItipObject(mail.icsText);
    assert.equal(obj.organizer, null);
    assert.equal(obj.uid, OUTLOOK_REPLY_UID);
    // 10:00 W. Europe Standard Time in January (its VTIMEZONE: +0100) is 09:00 UTC.
    assert.equal(obj.start, Date.UTC(2027, 0, 12, 9, 0));
  });

  it('Outlook REQUEST: quoted-printable UTF-8, Windows TZID in winter time (+0100), no token', async () => {
    const mail = await parsed(fixture('outlook-request-windows-tzid.eml'));
    assert.equal(mail.from, 'dominique.lefevre@contoso.example');
    assert.equal(mail.method, 'REQUEST');
    assert.equal(mail.token, undefined);
    assert.deepEqual(mail.to, ['alice@almanac.example', 'emile.dubois@contoso.example']);
    const obj = readItipObject(mail.icsText);
    assert.equal(obj.summary, 'Réunion budgétaire');
    assert.equal(obj.location, 'Salle 3 – Genève');
    assert.equal(obj.organizer, 'dominique.lefevre@contoso.example');
    assert.equal(obj.start, Date.UTC(2027, 1, 3, 13, 0));
  });

  it('a message with no calendar is rejected with a reason', async () => {
    const r = await parseItipMail(fixture('no-calendar-auto-reply.eml'), { reply: REPLY });
    assert.deepEqual(r, { rejected: 'no text/calendar part (RFC 6047 §2.4)' });
  });

  it('method= differing from METHOD is rejected', async () => {
    const raw = Buffer.from(
      fixture('outlook-request-windows-tzid.eml').toString('latin1').replace('method=REQUEST', 'method=CANCEL'),
      'latin1',
    );
    const r = await parseItipMail(raw);
    assert.deepEqual(r, { rejected: 'MIME method=CANCEL differs from METHOD:REQUEST (RFC 6047 §2.4)' });
  });

  it('§2.6: a .ics file name on a non-calendar type is not read; a calendar type is, whatever its name', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//t//EN',
      'METHOD:CANCEL',
      'BEGIN:VEVENT',
      'UID:u1',
      'DTSTAMP:20261201T000000Z',
      'DTSTART:20270101T100000Z',
      'ORGANIZER:mailto:o@x.example',
      'ATTENDEE:mailto:a@y.example',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const message = (type: string, name: string): Buffer =>
      Buffer.from(
        [
          'From: o@x.example',
          'To: a@y.example',
          'Subject: x',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          'see attachment',
          '--b',
          `Content-Type: ${type}`,
          `Content-Disposition: attachment; filename="${name}"`,
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from(ics).toString('base64'),
          '--b--',
          '',
        ].join('\r\n'),
      );
    assert.ok('rejected' in (await parseItipMail(message('application/octet-stream', 'invite.ics'))));
    const ok = await parseItipMail(message('text/calendar; method=CANCEL', 'notes.txt'));
    assert.ok('ok' in ok && ok.ok.method === 'CANCEL');
  });

  it('RFC 6047 §2.4 example: a top-level text/calendar message, quoted-printable (§2.5)', async () => {
    const raw = Buffer.from(
      [
        'From: user1@example.com',
        'To: user2@example.com',
        'Subject: Phone Conference',
        'Mime-Version: 1.0',
        'Message-ID: <4821E731.5040506@laptop1.example.com>',
        'Content-Type: text/calendar; method=REQUEST; charset=UTF-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'BEGIN:VCALENDAR',
        'PRODID:-//Example/ExampleCalendarClient//EN',
        'METHOD:REQUEST',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'ORGANIZER:mailto:user1@example.com',
        'ATTENDEE;RSVP=YES;CUTYPE=INDIVIDUAL:mailto:user2@example.com',
        'DTSTAMP:20080507T170000Z',
        'DTSTART:20080701T160000Z',
        'DTEND:20080701T163000Z',
        'SUMMARY:Phone call to discuss your last visit',
        'DESCRIPTION:=D1=82=D1=8B =D0=BA=D0=B0=D0=BA',
        'UID:calsvr.example.com-8739701987387998',
        'SEQUENCE:0',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    const mail = await parsed(raw);
    assert.equal(mail.method, 'REQUEST');
    assert.match(mail.icsText, /DESCRIPTION:ты как/);
  });
});

describe('malformed messages are rejected, never thrown', () => {
  it('garbage, a truncated multipart, a calendar part that is not iCalendar, an unknown charset', async () => {
    const gmail = fixture('gmail-reply.eml');
    const cases: [Buffer, RegExp][] = [
      [Buffer.from([0, 255, 13, 10, 13, 10, 1, 2, 3]), /^no From address$/],
      [gmail.subarray(0, Math.floor(gmail.length / 2)), /^calendar part is not an iTIP object: iCalendar syntax error/],
      [
        Buffer.from(gmail.toString('utf8').replace('BEGIN:VEVENT', 'BEGIN:VEVENT\r\nDTSTART:not-a-date')),
        /^calendar part is not an iTIP object: invalid date-time/,
      ],
      [
        Buffer.from('From: a@b.example\r\nContent-Type: text/calendar; method=REPLY\r\n\r\nhello\r\n'),
        /no BEGIN:VCALENDAR/,
      ],
      [
        Buffer.from(
          'From: a@b.example\r\nContent-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
        ),
        /has no METHOD/,
      ],
    ];
    for (const [raw, reason] of cases) {
      const r = await parseItipMail(raw, { reply: REPLY });
      assert.match('rejected' in r ? r.rejected : 'accepted', reason);
    }
    const odd = Buffer.from(
      fixture('gmail-reply.eml')
        .toString('utf8')
        .replace('text/calendar; charset="UTF-8"', 'text/calendar; charset="x-unknown-9"'),
    );
    assert.ok('ok' in (await parseItipMail(odd)), 'an unknown charset label is read as UTF-8');
  });
});

describe('bounds on received messages', () => {
  it('message size, MIME part count and calendar size are bounded', async () => {
    const raw = fixture('gmail-reply.eml');
    const limits = { maxMessageBytes: 10_000, maxParts: 50, maxCalendarBytes: 100_000 };
    assert.match(
      ((await parseItipMail(raw, { limits: { ...limits, maxMessageBytes: 1000 } })) as { rejected: string }).rejected,
      /exceeds 1000/,
    );
    assert.match(
      ((await parseItipMail(raw, { limits: { ...limits, maxParts: 3 } })) as { rejected: string }).rejected,
      /more than 3 MIME parts/,
    );
    assert.match(
      ((await parseItipMail(raw, { limits: { ...limits, maxCalendarBytes: 200 } })) as { rejected: string }).rejected,
      /calendar part of \d+ bytes exceeds 200/,
    );
    assert.ok('ok' in (await parseItipMail(raw, { limits })));
  });
});
