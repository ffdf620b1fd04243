/**
 * Replies delivered by the site's MTA over LMTP (RFC 2033) to the listener (smtp-server in LMTP
 * mode), driven by nodemailer's LMTP client: recipients outside the reply domain are refused at
 * RCPT (550), an oversized message gets 552, a message that is not iTIP is accepted and logged
 * as rejected (no bounce to a possibly forged sender), and a receiver failure answers 451 so the
 * MTA tries again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import type { InboundItip, InboundOutcome } from '../../src/mail/inbound.js';
import { startLmtpListener, type RunningLmtpListener } from '../../src/mail/lmtp-listener.js';
import { fixture, REPLY } from './helpers/fixtures.js';

let listener: RunningLmtpListener;
const got: InboundItip[] = [];
const lines: string[] = [];
let failNext = false;

before(async () => {
  listener = await startLmtpListener(
    {
      lmtp: { host: '127.0.0.1', port: 0 },
      reply: REPLY,
      limits: { maxMessageBytes: 20_000, maxParts: 50, maxCalendarBytes: 100_000 },
    },
    async (mail): Promise<InboundOutcome> => {
      if (failNext) {
        failNext = false;
        throw new Error('store unavailable');
      }
      got.push(mail);
      return 'applied';
    },
    (l) => lines.push(l),
  );
});
after(() => listener.close());

/** LMTP answers each recipient after DATA (RFC 2033 §4.2): the code nodemailer got for the first, 250 when accepted. */
async function dataReply(raw: Buffer, to: string): Promise<number> {
  const info = await deliver(raw, [to]);
  if (info.accepted.length > 0) return 250;
  const err = (info as { rejectedErrors?: { responseCode?: number }[] }).rejectedErrors?.[0];
  return err?.responseCode ?? 0;
}

function deliver(raw: Buffer, to: string[]) {
  const t = nodemailer.createTransport({
    host: '127.0.0.1',
    port: listener.port,
    lmtp: true,
    ignoreTLS: true,
    connectionTimeout: 5000,
  });
  return t.sendMail({ envelope: { from: 'bounces@mx.example', to }, raw }).finally(() => t.close());
}

describe('RFC 6047 replies delivered over LMTP', { timeout: 30_000 }, () => {
  it('a Gmail reply to the token address is handed over with the envelope recipient and its token', async () => {
    const info = await deliver(fixture('gmail-reply.eml'), ['almanac+mfwgsy3f-ccoxtxk3qasnj2nc@almanac.example']);
    assert.deepEqual(info.accepted, ['almanac+mfwgsy3f-ccoxtxk3qasnj2nc@almanac.example']);
    const mail = got.at(-1);
    assert.equal(mail?.from, 'bob.example@gmail.com');
    assert.deepEqual(mail?.to, ['almanac+mfwgsy3f-ccoxtxk3qasnj2nc@almanac.example']);
    assert.equal(mail?.token, 'mfwgsy3f-ccoxtxk3qasnj2nc');
    assert.match(lines.at(-1) ?? '', /^imip lmtp <CAJ4x7Q2f0.*> from bob\.example@gmail\.com: applied$/);
  });

  it('a recipient outside the reply domain is refused at RCPT TO', async () => {
    await assert.rejects(
      deliver(fixture('gmail-reply.eml'), ['someone@elsewhere.example']),
      (err: { responseCode?: number }) => err.responseCode === 550,
    );
  });

  it('a message without a calendar is accepted and logged as rejected', async () => {
    const before = got.length;
    await deliver(fixture('no-calendar-auto-reply.eml'), ['almanac+x@almanac.example']);
    assert.equal(got.length, before);
    assert.equal(lines.at(-1), 'imip lmtp: rejected: no text/calendar part (RFC 6047 §2.4)');
  });

  it('a message over the size limit gets 552', async () => {
    const big = Buffer.concat([fixture('gmail-reply.eml'), Buffer.alloc(30_000, 'x')]);
    assert.equal(await dataReply(big, 'almanac+x@almanac.example'), 552);
  });

  it('a receiver failure answers 451 (the MTA retries), and the retry is handled', async () => {
    failNext = true;
    assert.equal(
      await dataReply(fixture('outlook-reply-no-organizer.eml'), 'almanac+mfwgsy3f-fwje6eppwvyi4zip@almanac.example'),
      451,
    );
    assert.equal(
      await dataReply(fixture('outlook-reply-no-organizer.eml'), 'almanac+mfwgsy3f-fwje6eppwvyi4zip@almanac.example'),
      250,
    );
    assert.equal(got.at(-1)?.from, 'carol.jones@outlook.com');
  });
});
