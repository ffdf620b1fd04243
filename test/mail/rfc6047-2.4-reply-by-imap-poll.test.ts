/**
 * Replies by email without a mail server of our own (issue #16): Debian's dovecot runs on
 * 127.0.0.1 with a private configuration, Gmail- and Outlook-shaped replies are APPENDed to its
 * INBOX, and the poller (imapflow) hands each new message to the receiver once, then marks it
 * \Seen or moves it to the processed folder, logging one line per message. A message whose
 * receiver failed stays unseen and is handled by the next poll.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import type { InboundItip, InboundOutcome } from '../../src/mail/inbound.js';
import { startImapPoller, type ImapPollerConfig } from '../../src/mail/imap-poller.js';
import { DEFAULT_INBOUND_LIMITS } from '../../src/mail/imip-config.js';
import { startDovecot, type Dovecot } from './helpers/dovecot.js';
import { fixture, REPLY } from './helpers/fixtures.js';

let dovecot: Dovecot;
before(async () => {
  dovecot = await startDovecot();
});
after(async () => {
  await dovecot?.stop();
});

async function withClient<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout();
  }
}

async function append(...names: string[]): Promise<void> {
  await withClient(async (c) => {
    for (const n of names) await c.append('INBOX', fixture(n));
  });
}

async function count(mailbox: string, query: { seen?: boolean }): Promise<number> {
  return withClient(async (c) => {
    const lock = await c.getMailboxLock(mailbox);
    try {
      return ((await c.search(query, { uid: true })) || []).length;
    } finally {
      lock.release();
    }
  });
}

function pollerConfig(extra: Partial<ImapPollerConfig['imap']> = {}): ImapPollerConfig {
  return {
    imap: {
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      user: dovecot.user,
      password: dovecot.password,
      mailbox: 'INBOX',
      pollMs: 3_600_000,
      ...extra,
    },
    reply: REPLY,
    limits: DEFAULT_INBOUND_LIMITS,
  };
}

describe('RFC 6047 replies fetched from an IMAP mailbox (dovecot)', { timeout: 60_000 }, () => {
  it('each new message reaches the receiver once, is marked \\Seen, and is logged', async () => {
    await append('gmail-reply.eml', 'outlook-reply-no-organizer.eml', 'no-calendar-auto-reply.eml');
    const got: InboundItip[] = [];
    const lines: string[] = [];
    const poller = startImapPoller(
      pollerConfig(),
      async (mail): Promise<InboundOutcome> => {
        got.push(mail);
        return mail.from === 'bob.example@gmail.com' ? 'applied' : { rejected: 'no such event' };
      },
      (l) => lines.push(l),
    );
    const second = await poller.pollNow(); // runs after the first poll, which started at once
    await poller.close();
    assert.deepEqual(second, { handled: 0, deferred: 0 }, 'nothing is handled twice');
    assert.deepEqual(
      got.map((m) => [m.from, m.method, m.token]),
      [
        ['bob.example@gmail.com', 'REPLY', 'mfwgsy3f-ccoxtxk3qasnj2nc'],
        ['carol.jones@outlook.com', 'REPLY', 'mfwgsy3f-fwje6eppwvyi4zip'],
      ],
    );
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(
      lines[0] ?? '',
      /^imip imap uid 1 <CAJ4x7Q2f0.*@mail\.gmail\.com> from bob\.example@gmail\.com: applied$/,
    );
    assert.match(lines[1] ?? '', /carol\.jones@outlook\.com: rejected: no such event$/);
    assert.equal(lines[2], 'imip imap uid 3: rejected: no text/calendar part (RFC 6047 §2.4)');
    assert.equal(await count('INBOX', { seen: false }), 0);
    assert.equal(await count('INBOX', {}), 3);
  });

  it('moves handled messages to the processed folder; a receiver failure leaves the message for the next poll', async () => {
    await append('gmail-reply.eml', 'outlook-reply-no-organizer.eml');
    let failing = true;
    const lines: string[] = [];
    const config = pollerConfig({ processedMailbox: 'Almanac-processed' });
    const poller = startImapPoller(
      config,
      async (mail) => {
        if (failing && mail.from === 'carol.jones@outlook.com') throw new Error('database is down');
        return 'applied';
      },
      (l) => lines.push(l),
    );
    const idle = await poller.pollNow();
    assert.deepEqual(idle, { handled: 0, deferred: 1 }, 'the first poll took the Gmail reply; Outlook stays');
    assert.match(lines.join('\n'), /failed, left unseen for the next poll: database is down/);
    failing = false;
    assert.deepEqual(await poller.pollNow(), { handled: 1, deferred: 0 });
    await poller.close();
    assert.equal(await count('Almanac-processed', {}), 2);
    assert.equal(await count('INBOX', { seen: false }), 0);
  });

  it('a poll against a server that is not there fails and is logged; close() stops the timer', async () => {
    const lines: string[] = [];
    const poller = startImapPoller(
      { ...pollerConfig(), imap: { ...pollerConfig().imap, port: 1 } },
      async () => 'applied',
      (l) => lines.push(l),
    );
    await assert.rejects(poller.pollNow());
    await poller.close();
    assert.match(lines.join('\n'), /poll failed/);
  });
});
