/**
 * RFC 6047 §2.4 with the whole server: an organizer's CalDAV PUT inviting someone outside the
 * server is queued by implicit scheduling (RFC 6638 §3.2.1), leaves by SMTP (a real SMTP server on
 * loopback) with a tokenised Reply-To, and the attendee's emailed REPLY — Outlook-shaped, without
 * ORGANIZER — delivered by LMTP to that reply address, updates the organizer's copy: the gap
 * nextcloud/server#48697 describes, closed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { DEFAULT_INBOUND_LIMITS } from '../../../src/mail/imip-config.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../../mail/helpers/smtp-sink.js';

const CAL = '/dav/calendars/alice/default/';
const UID = 'outside-invite@example.com';
const unfold = (s: string): string => s.replace(/\r\n[ \t]/g, '');

const invitation = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  `UID:${UID}`,
  'DTSTAMP:20261204T120000Z',
  'DTSTART:20300110T090000Z',
  'DTEND:20300110T100000Z',
  'SUMMARY:Design review',
  'ORGANIZER;CN=Alice:mailto:alice@example.com',
  'ATTENDEE;CN=Alice;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:alice@example.com',
  'ATTENDEE;CN=Dana;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:dana.outside@gmail.com',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** Outlook's answer: METHOD:REPLY, no ORGANIZER, the attendee's PARTSTAT. */
const reply = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:Microsoft Exchange Server 2010',
  'METHOD:REPLY',
  'BEGIN:VEVENT',
  `UID:${UID}`,
  'DTSTAMP:20261204T130000Z',
  'DTSTART:20300110T090000Z',
  'DTEND:20300110T100000Z',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:dana.outside@gmail.com',
  'SEQUENCE:0',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('RFC 6047 §2.4 scheduling with someone outside the server', () => {
  let sink: SmtpSink;
  let server: TestServer;
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');

  before(async () => {
    sink = await startSmtpSink();
    server = await startTestServer({
      config: {
        imip: {
          from: 'calendar@almanac.example',
          smtp: { host: '127.0.0.1', port: sink.port, secure: false },
          reply: { domain: 'almanac.example', prefix: 'almanac' },
          lmtp: { host: '127.0.0.1', port: 0 },
          limits: DEFAULT_INBOUND_LIMITS,
        },
      },
    });
  });
  after(async () => {
    await server?.close();
    await sink?.close();
  });

  it("§2.4: the PUT queues a REQUEST, the mailer sends it with method=REQUEST and a reply address; the emailed REPLY updates the organizer's copy", async () => {
    assert.equal(
      (
        await alice()(`${CAL}review.ics`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: invitation,
        })
      ).status,
      201,
    );
    const imip = server.imip;
    assert.ok(imip, 'iMIP is running');
    const sent = await imip.drainNow();
    assert.equal(sent.sent, 1);
    assert.equal(sink.messages.length, 1);
    const mail = await simpleParser(sink.messages[0]!.raw);
    assert.deepEqual(sink.messages[0]!.rcptTo, ['dana.outside@gmail.com']);
    const replyTo = mail.replyTo?.value[0]?.address ?? '';
    assert.match(replyTo, /^almanac\+[^@]+@almanac\.example$/);
    assert.match(sink.messages[0]!.raw.toString(), /text\/calendar; charset=utf-8; method=REQUEST/i);
    assert.match(
      unfold(await (await alice()(`${CAL}review.ics`)).text()),
      /SCHEDULE-STATUS=1\.0[^\r\n]*:mailto:dana\.outside@gmail\.com/,
      'queued for delivery (RFC 6638 §7.3)',
    );

    const answer = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
      from: 'Dana <dana.outside@gmail.com>',
      to: replyTo,
      subject: 'Accepted: Design review',
      text: 'Accepted',
      icalEvent: { method: 'REPLY', content: reply },
    });
    const lmtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: imip.lmtpPort ?? 0,
      lmtp: true,
      ignoreTLS: true,
    });
    await lmtp.sendMail({ envelope: { from: 'dana.outside@gmail.com', to: [replyTo] }, raw: answer.message as Buffer });
    lmtp.close();
    const copy = unfold(await (await alice()(`${CAL}review.ics`)).text());
    assert.match(copy, /ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:dana\.outside@gmail\.com/);
  });

  it('§2.2.1: a REPLY to the reply address from someone who is not the attendee changes nothing', async () => {
    const imip = server.imip!;
    const replyTo = (await simpleParser(sink.messages[0]!.raw)).replyTo?.value[0]?.address ?? '';
    const forged = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
      from: 'mallory@evil.example',
      to: replyTo,
      subject: 'Declined',
      text: 'x',
      icalEvent: { method: 'REPLY', content: reply.replace('PARTSTAT=ACCEPTED', 'PARTSTAT=DECLINED') },
    });
    const lmtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: imip.lmtpPort ?? 0,
      lmtp: true,
      ignoreTLS: true,
    });
    await lmtp.sendMail({ envelope: { from: 'mallory@evil.example', to: [replyTo] }, raw: forged.message as Buffer });
    lmtp.close();
    assert.doesNotMatch(unfold(await (await alice()(`${CAL}review.ics`)).text()), /PARTSTAT=DECLINED/);
  });
});
