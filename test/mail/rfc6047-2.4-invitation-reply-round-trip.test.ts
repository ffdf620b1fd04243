/**
 * The whole transport, as the lead wires it (src/mail/wire.ts): an invitation row from the
 * scheduling queue is sent through a real SMTP server (smtp-server sink) with a tokenised
 * Reply-To; the attendee's reply to that address comes back by LMTP and through a real IMAP
 * mailbox (dovecot) and reaches `receive` for the organizer's user id. A forged sender, a token
 * reused for another event, and an organizer method sent to a reply address never reach it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import type { DrainOutcome } from '../../src/mail/drain-outbound.js';
import { DEFAULT_INBOUND_LIMITS } from '../../src/mail/imip-config.js';
import type { ExternalItip } from '../../src/mail/receive-inbound.js';
import { startImip, type OutboundRow, type RunningImip } from '../../src/mail/wire.js';
import { startDovecot, type Dovecot } from './helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';

const SERVER_KEY = Buffer.alloc(32, 42);
const UID = 'evt-42@almanac.example';
const alice = { userId: 'alice', mailto: 'mailto:alice@almanac.example', name: 'Alice Martin' };

const invitation = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Almanac//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  `UID:${UID}`,
  'DTSTAMP:20261204T120000Z',
  'DTSTART:20300110T090000Z',
  'DTEND:20300110T100000Z',
  'SUMMARY:Design review',
  'ORGANIZER;CN=Alice Martin:mailto:alice@almanac.example',
  'ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:bob.example@gmail.com',
  'SEQUENCE:0',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** The reply Outlook would send: METHOD:REPLY, no ORGANIZER, the attendee's PARTSTAT. */
function replyIcs(uid: string, method = 'REPLY'): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:Microsoft Exchange Server 2010',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261204T130000Z',
    'DTSTART:20300110T090000Z',
    'DTEND:20300110T100000Z',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob.example@gmail.com',
    ...(method === 'REPLY' ? [] : ['ORGANIZER:mailto:bob.example@gmail.com']),
    'SEQUENCE:0',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

async function buildReply(from: string, to: string, ics: string, method = 'REPLY'): Promise<Buffer> {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await t.sendMail({
    from,
    to,
    subject: 'Accepted: Design review',
    text: 'Accepted',
    icalEvent: { method, content: ics },
  });
  return info.message as Buffer;
}

let sink: SmtpSink;
let dovecot: Dovecot;
let imip: RunningImip;
const queue: OutboundRow[] = [];
const marks = new Map<string, DrainOutcome>();
const received: ExternalItip[] = [];
const lines: string[] = [];
let replyTo = '';

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function lmtp(raw: Buffer, to: string): Promise<void> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: imip.lmtpPort ?? 0, lmtp: true, ignoreTLS: true });
  await t.sendMail({ envelope: { from: 'mx@gmail.example', to: [to] }, raw }).finally(() => t.close());
}

before(async () => {
  sink = await startSmtpSink();
  dovecot = await startDovecot();
  imip = await startImip(
    {
      from: 'calendar@almanac.example',
      smtp: { host: '127.0.0.1', port: sink.port, secure: false },
      reply: { domain: 'almanac.example', prefix: 'almanac' },
      imap: {
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        user: dovecot.user,
        password: dovecot.password,
        mailbox: 'INBOX',
        pollMs: 200,
      },
      lmtp: { host: '127.0.0.1', port: 0 },
      limits: DEFAULT_INBOUND_LIMITS,
    },
    SERVER_KEY,
    {
      claim: async (limit) => queue.splice(0, limit),
      mark: async (id, outcome) => void marks.set(id, outcome),
      userForAddress: async (address) => (address === 'alice@almanac.example' ? 'alice' : null),
      receive: async (itip) => {
        received.push(itip);
        return 'applied';
      },
    },
    { log: (l) => lines.push(l), drainEveryMs: 3_600_000 },
  );
});
after(async () => {
  await imip?.close();
  await dovecot?.stop();
  await sink?.close();
});

describe('RFC 6047 invitation out, reply in', { timeout: 60_000 }, () => {
  it('the queued REQUEST is emailed with a tokenised Reply-To', async () => {
    queue.push({
      id: 'q1',
      attempts: 0,
      recipient: 'mailto:bob.example@gmail.com',
      method: 'REQUEST',
      icsText: invitation,
      organizer: alice,
    });
    assert.deepEqual(await imip.drainNow(), { sent: 1, skipped: 0, retried: 0, failed: 0 });
    assert.equal(marks.get('q1')?.status, 'sent');
    const mail = await simpleParser((sink.messages.at(-1) as { raw: Buffer }).raw);
    replyTo = mail.replyTo?.value[0]?.address ?? '';
    assert.match(replyTo, /^almanac\+[a-z2-7]+-[a-z2-7]{16}@almanac\.example$/);
  });

  it("the attendee's reply by LMTP reaches receive for the organizer's user id", async () => {
    await lmtp(await buildReply('Bob Example <bob.example@gmail.com>', replyTo, replyIcs(UID)), replyTo);
    assert.deepEqual(received.at(-1), {
      recipient: 'alice',
      sender: 'mailto:bob.example@gmail.com',
      method: 'REPLY',
      icsText: replyIcs(UID),
    });
  });

  it('the same reply found in the IMAP mailbox reaches receive too', async () => {
    const before = received.length;
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await c.connect();
    await c.append('INBOX', await buildReply('bob.example@gmail.com', replyTo, replyIcs(UID)));
    await c.logout();
    await waitFor(() => received.length > before, 'the poller');
    assert.equal(received.at(-1)?.recipient, 'alice');
  });

  it("an Almanac attendee's REPLY to an outside organizer: From names the attendee, Reply-To is the attendee, no token", async () => {
    const ics = replyIcs('outside-evt@contoso.example').replace(
      'mailto:bob.example@gmail.com',
      'mailto:alice@almanac.example',
    );
    queue.push({
      id: 'q2',
      attempts: 0,
      recipient: 'mailto:dominique@contoso.example',
      method: 'REPLY',
      icsText: ics,
      organizer: { userId: '', mailto: 'mailto:dominique@contoso.example' },
      originator: alice,
    });
    assert.equal((await imip.drainNow()).sent, 1);
    const mail = await simpleParser((sink.messages.at(-1) as { raw: Buffer }).raw);
    assert.equal(mail.from?.value[0]?.name, 'Alice Martin (via Almanac)');
    assert.equal(mail.replyTo?.value[0]?.address, 'alice@almanac.example');
    assert.deepEqual(sink.messages.at(-1)?.rcptTo, ['dominique@contoso.example']);
  });

  it("an invitation from outside to a user's own address reaches receive for that user (no token)", async () => {
    const request = replyIcs('outside-2@contoso.example', 'REQUEST')
      .replace('ORGANIZER:mailto:bob.example@gmail.com', 'ORGANIZER:mailto:dominique@contoso.example')
      .replace(
        'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob.example@gmail.com',
        'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:alice@almanac.example',
      );
    await lmtp(
      await buildReply('dominique@contoso.example', 'alice@almanac.example', request, 'REQUEST'),
      'alice@almanac.example',
    );
    assert.deepEqual(received.at(-1), {
      recipient: 'alice',
      sender: 'mailto:dominique@contoso.example',
      method: 'REQUEST',
      icsText: request,
    });
  });

  it('a forged sender, a token for another event, and a REQUEST to a reply address are refused', async () => {
    const before = received.length;
    await lmtp(await buildReply('Mallory <spoof@xyz.example.net>', replyTo, replyIcs(UID)), replyTo);
    assert.match(lines.at(-1) ?? '', /rejected: REPLY from spoof@xyz\.example\.net speaks for bob\.example@gmail\.com/);
    await lmtp(await buildReply('bob.example@gmail.com', replyTo, replyIcs('other-event@almanac.example')), replyTo);
    assert.match(lines.at(-1) ?? '', /rejected: reply token does not match UID other-event@almanac\.example/);
    await lmtp(await buildReply('bob.example@gmail.com', replyTo, replyIcs(UID, 'REQUEST'), 'REQUEST'), replyTo);
    assert.match(lines.at(-1) ?? '', /rejected: REQUEST sent to a reply address/);
    assert.equal(received.length, before);
  });
});
