/**
 * RFC 6047 §2.4, sending: what the mailer hands to a real SMTP server (smtp-server on
 * 127.0.0.1) is multipart/alternative of text/plain and `text/calendar; method=` equal to the
 * iCalendar METHOD with a charset, plus invite.ics; From is the server's address, Reply-To the
 * tokenised reply address (or the organizer without one); nothing is sent for an event wholly in
 * the past; a 5xx answer is a permanent failure and a 4xx or a refused connection a transient one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type StructuredHeader } from 'mailparser';
import { createItipMailer, type ItipMailer, type MailerConfig } from '../../src/mail/mailer.js';
import { createReplyToken } from '../../src/mail/reply-token.js';
import { FIXTURE_KEY, REPLY } from './helpers/fixtures.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';

const NOW = Date.UTC(2026, 11, 4, 12);

function request(method: string, start: string, extra: string[] = []): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//EN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    'UID:evt-1@almanac.example',
    'DTSTAMP:20261204T120000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    'SUMMARY:Café planning',
    'LOCATION:Room 4',
    'ORGANIZER;CN=Alice Martin:mailto:alice@almanac.example',
    'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob.example@gmail.com',
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

let sink: SmtpSink;
let mailer: ItipMailer;
let config: MailerConfig;
before(async () => {
  sink = await startSmtpSink();
  config = {
    from: 'calendar@almanac.example',
    smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'imip', password: 'secret' },
    reply: REPLY,
  };
  mailer = createItipMailer(config, { now: () => NOW, timeoutMs: 5000 });
});
after(async () => {
  mailer.close();
  await sink.close();
});

const organizer = { name: 'Alice Martin', mailto: 'mailto:alice@almanac.example' };

describe('RFC 6047 §2.4 the MIME shape of what is sent', () => {
  it('REQUEST: alternative(text/plain, text/calendar;method=REQUEST;charset=utf-8), invite.ics, From, Reply-To with token', async () => {
    const icsText = request('REQUEST', '20270315T090000Z');
    const token = createReplyToken(FIXTURE_KEY, 'alice', 'evt-1@almanac.example');
    const result = await mailer.send({
      organizer,
      recipient: 'mailto:Bob.Example@gmail.com',
      method: 'REQUEST',
      icsText,
      replyToken: token,
    });
    assert.equal(result.status, 'sent', JSON.stringify(result));
    const got = sink.messages.at(-1);
    assert.ok(got);
    assert.deepEqual(got.rcptTo, ['Bob.Example@gmail.com'], 'RFC 5321 §2.4: the local part is sent as written');
    assert.equal(got.user, 'imip', 'authenticated with the configured credentials');
    assert.equal(got.mailFrom, 'calendar@almanac.example');
    const raw = got.raw.toString('utf8');
    assert.match(raw, /^Content-Type: multipart\/alternative/m);
    const mail = await simpleParser(got.raw);
    assert.equal(mail.from?.value[0]?.address, 'calendar@almanac.example');
    assert.equal(mail.from?.value[0]?.name, 'Alice Martin (via Almanac)');
    assert.equal(mail.replyTo?.value[0]?.address, `almanac+${token}@almanac.example`);
    assert.equal(mail.subject, 'Invitation: Café planning');
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated', 'RFC 3834: no vacation replies to it');
    assert.match(mail.text ?? '', /When: 2027-03-15 09:00 UTC/);
    const calendars = mail.attachments.map((a) => ({
      ct: a.headers.get('content-type') as StructuredHeader,
      body: a.content.toString('utf8'),
      name: a.filename,
    }));
    const inline = calendars.find((c) => c.ct.value === 'text/calendar');
    assert.ok(inline, 'a text/calendar part');
    assert.equal(inline.ct.params['method'], 'REQUEST');
    assert.equal(inline.ct.params['charset'], 'utf-8');
    assert.equal(inline.ct.params['component'], 'VEVENT');
    assert.equal(inline.body, icsText);
    const file = calendars.find((c) => c.name === 'invite.ics');
    assert.equal(file?.body, icsText);
  });

  it('without a token Reply-To is the organizer; CANCEL gets method=CANCEL', async () => {
    const result = await mailer.send({
      organizer,
      recipient: 'mailto:bob.example@gmail.com',
      method: 'CANCEL',
      icsText: request('CANCEL', '20270315T090000Z', ['STATUS:CANCELLED']),
    });
    assert.equal(result.status, 'sent');
    const mail = await simpleParser((sink.messages.at(-1) as { raw: Buffer }).raw);
    assert.equal(mail.replyTo?.value[0]?.address, 'alice@almanac.example');
    assert.equal(mail.subject, 'Cancelled: Café planning');
    assert.match(
      (sink.messages.at(-1) as { raw: Buffer }).raw.toString(),
      /text\/calendar; charset=utf-8; method=CANCEL/,
    );
  });

  it('an event wholly in the past is not sent; a recurring one that goes on is', async () => {
    const before = sink.messages.length;
    const past = await mailer.send({
      organizer,
      recipient: 'mailto:bob.example@gmail.com',
      method: 'REQUEST',
      icsText: request('REQUEST', '20261101T090000Z'),
    });
    assert.deepEqual(past, { ok: true, status: 'skipped', reason: 'the event is wholly in the past' });
    assert.equal(sink.messages.length, before);
    const series = await mailer.send({
      organizer,
      recipient: 'mailto:bob.example@gmail.com',
      method: 'REQUEST',
      icsText: request('REQUEST', '20261101T090000Z', ['RRULE:FREQ=WEEKLY']),
    });
    assert.equal(series.status, 'sent');
  });

  it('METHOD different from the message method, or a recipient that is not mailto:, fails permanently unsent', async () => {
    const r1 = await mailer.send({
      organizer,
      recipient: 'mailto:bob.example@gmail.com',
      method: 'CANCEL',
      icsText: request('REQUEST', '20270315T090000Z'),
    });
    assert.deepEqual(r1, {
      ok: false,
      status: 'failed',
      error: "METHOD REQUEST differs from the message's CANCEL",
      permanent: true,
    });
    const r2 = await mailer.send({
      organizer,
      recipient: 'urn:uuid:1234',
      method: 'REQUEST',
      icsText: request('REQUEST', '20270315T090000Z'),
    });
    assert.equal(r2.ok, false);
    const r3 = await mailer.send({
      organizer,
      recipient: 'mailto:bob%E0%A4%A@gmail.com',
      method: 'REQUEST',
      icsText: request('REQUEST', '20270315T090000Z'),
    });
    assert.equal(!r3.ok && r3.permanent, true, 'a malformed %-escape is refused, not thrown');
  });

  it('SMTP 550 → permanent, 451 → transient, connection refused → transient', async () => {
    const msg = {
      organizer,
      recipient: 'mailto:nobody@gmail.com',
      method: 'REQUEST',
      icsText: request('REQUEST', '20270315T090000Z'),
    };
    sink.rejectNext = { code: 550, text: '5.1.1 No such user' };
    const r550 = await mailer.send(msg);
    assert.equal(r550.status, 'failed');
    assert.equal(!r550.ok && r550.permanent, true);
    sink.rejectNext = { code: 451, text: '4.7.1 Try again later' };
    const r451 = await mailer.send(msg);
    assert.equal(!r451.ok && r451.permanent, false);
    const closed = createItipMailer(
      { ...config, smtp: { ...config.smtp, port: 1 } },
      { now: () => NOW, timeoutMs: 2000 },
    );
    const refused = await closed.send(msg);
    closed.close();
    assert.equal(!refused.ok && refused.permanent, false, JSON.stringify(refused));
  });
});
