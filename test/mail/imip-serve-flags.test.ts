/** `almanac serve` iMIP flags and variables (src/cli/imip-args.ts): off by default, checked, defaults by port. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandArgs } from '../../src/cli/args.js';
import { imipConfig } from '../../src/cli/imip-args.js';
import { serve } from '../../src/cli/serve.js';

const config = (argv: string[], env: Record<string, string> = {}) => imipConfig(parseCommandArgs(serve, argv, env));

describe('almanac serve: iMIP settings', () => {
  it('off unless SMTP, IMAP or LMTP is configured', () => {
    assert.equal(config([]), undefined);
    assert.equal(config(['--imip-from', 'calendar@x.example']), undefined);
  });

  it('SMTP: port 587 with STARTTLS by default, 465 implies TLS; the password from the variable', () => {
    const c = config(['--smtp-host', 'mail.x.example', '--imip-from', 'calendar@x.example', '--smtp-user', 'cal'], {
      ALMANAC_SMTP_PASSWORD: 'pw',
    });
    assert.deepEqual(c?.smtp, { host: 'mail.x.example', port: 587, secure: false, user: 'cal', password: 'pw' });
    assert.equal(c?.from, 'calendar@x.example');
    assert.equal(c?.reply, undefined);
    assert.equal(config(['--smtp-host', 'h', '--imip-from', 'f@x', '--smtp-port', '465'])?.smtp?.secure, true);
    assert.equal(
      config(['--smtp-host', 'h', '--imip-from', 'f@x', '--smtp-port', '465', '--smtp-secure', 'off'])?.smtp?.secure,
      false,
    );
    assert.throws(() => config(['--smtp-host', 'h']), /--smtp-host needs --imip-from/);
    assert.throws(
      () => config(['--smtp-host', 'h', '--imip-from', 'f@x', '--smtp-secure', 'maybe']),
      /expected on or off/,
    );
  });

  it('IMAP and LMTP need the reply domain; IMAP needs its login', () => {
    const env = {
      ALMANAC_IMAP_HOST: 'imap.x.example',
      ALMANAC_IMAP_USER: 'replies',
      ALMANAC_IMAP_PASSWORD: 'pw',
      ALMANAC_IMIP_REPLY_DOMAIN: 'cal.x.example',
    };
    const c = config(['--imap-poll', '30', '--imap-processed-mailbox', 'Done'], env);
    assert.deepEqual(c?.imap, {
      host: 'imap.x.example',
      port: 993,
      secure: true,
      user: 'replies',
      password: 'pw',
      mailbox: 'INBOX',
      processedMailbox: 'Done',
      pollMs: 30_000,
    });
    assert.deepEqual(c?.reply, { domain: 'cal.x.example', prefix: 'almanac' });
    assert.throws(
      () => config(['--imap-host', 'h', '--imap-user', 'u', '--imap-password', 'p']),
      /--imap-host needs --imip-reply-domain/,
    );
    assert.throws(() => config(['--imap-host', 'h', '--imip-reply-domain', 'd']), /--imap-host needs --imap-user/);
    assert.deepEqual(config(['--lmtp-port', '2424', '--imip-reply-domain', 'd'])?.lmtp, {
      host: '127.0.0.1',
      port: 2424,
    });
    assert.throws(() => config(['--lmtp-port', '2424']), /needs --imip-reply-domain/);
  });
});
