/**
 * RFC 6047 §2.2.1 and §3: only the organizer may send REQUEST/CANCEL, only the attendee speaks
 * for themself in a REPLY; a REPLY without ORGANIZER (Outlook) is accepted, its organizer known
 * from the reply token, which must have been made by this server for the reply's UID.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readItipObject } from '../../src/mail/itip-object.js';
import { parseItipMail } from '../../src/mail/parse-itip-mail.js';
import { verifyReplyToken } from '../../src/mail/reply-token.js';
import { senderProblem } from '../../src/mail/sender-check.js';
import { FIXTURE_KEY, fixture, REPLY } from './helpers/fixtures.js';

async function mailOf(name: string, edit: (s: string) => string = (s) => s) {
  const r = await parseItipMail(Buffer.from(edit(fixture(name).toString('utf8'))), { reply: REPLY });
  if ('rejected' in r) assert.fail(r.rejected);
  return { mail: r.ok, obj: readItipObject(r.ok.icsText) };
}

describe('RFC 6047 §2.2.1 authorization of received iTIP messages', () => {
  it('Gmail REPLY from the attendee it speaks for; token verified for its UID', async () => {
    const { mail, obj } = await mailOf('gmail-reply.eml');
    assert.equal(senderProblem(mail.from, obj), null);
    assert.equal(verifyReplyToken(FIXTURE_KEY, mail.token ?? '', obj.uid), 'alice');
  });

  it('Outlook REPLY without ORGANIZER is accepted; its token names the organizer', async () => {
    const { mail, obj } = await mailOf('outlook-reply-no-organizer.eml');
    assert.equal(obj.organizer, null);
    assert.equal(senderProblem(mail.from, obj), null);
    assert.equal(verifyReplyToken(FIXTURE_KEY, mail.token ?? '', obj.uid), 'alice');
  });

  it('a REPLY whose From is not the ATTENDEE is refused (spoof@ declining for b@)', async () => {
    const { mail, obj } = await mailOf('gmail-reply.eml', (s) =>
      s.replace('From: Bob Example <bob.example@gmail.com>', 'From: Mallory <spoof@xyz.example.net>'),
    );
    assert.equal(
      senderProblem(mail.from, obj),
      'REPLY from spoof@xyz.example.net speaks for bob.example@gmail.com (RFC 6047 §2.2.1)',
    );
  });

  it('a REQUEST only from its ORGANIZER; an attendee or a stranger may not send one', async () => {
    const { mail, obj } = await mailOf('outlook-request-windows-tzid.eml');
    assert.equal(senderProblem(mail.from, obj), null);
    assert.match(
      senderProblem('emile.dubois@contoso.example', obj) ?? '',
      /but the ORGANIZER is dominique\.lefevre@contoso\.example/,
    );
  });

  it('a token made for another event does not verify', async () => {
    const { mail } = await mailOf('gmail-reply.eml');
    assert.equal(verifyReplyToken(FIXTURE_KEY, mail.token ?? '', 'another-uid@google.com'), null);
  });
});
