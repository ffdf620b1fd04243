import {
  DEFAULT_IMAP_POLL_MS,
  DEFAULT_INBOUND_LIMITS,
  DEFAULT_REPLY_PREFIX,
  type ImapSettings,
  type ImipConfig,
  type LmtpSettings,
  type SmtpSettings,
} from '../mail/imip-config.js';
import { integer } from './args.js';
import type { OptionTable, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';

/** `almanac serve` flags of iMIP, scheduling by email (RFC 6047; src/mail/). All off by default. */
export const IMIP_OPTIONS: OptionTable = {
  'imip-from': {
    type: 'string',
    env: 'ALMANAC_IMIP_FROM',
    value: 'ADDRESS',
    description: "the server's own address: From of every invitation sent by email (needed with --smtp-host)",
  },
  'smtp-host': {
    type: 'string',
    env: 'ALMANAC_SMTP_HOST',
    value: 'HOST',
    description:
      'SMTP server that sends invitations to attendees outside this server (default: none, nothing is emailed)',
  },
  'smtp-port': { type: 'string', env: 'ALMANAC_SMTP_PORT', value: 'PORT', description: 'SMTP port (default 587)' },
  'smtp-secure': {
    type: 'string',
    env: 'ALMANAC_SMTP_SECURE',
    value: 'on|off',
    description: 'TLS from the first byte (default on for port 465; otherwise STARTTLS when offered)',
  },
  'smtp-user': { type: 'string', env: 'ALMANAC_SMTP_USER', value: 'NAME', description: 'SMTP login (default: none)' },
  'smtp-password': {
    type: 'string',
    env: 'ALMANAC_SMTP_PASSWORD',
    value: 'PASSWORD',
    description: 'SMTP password (prefer the variable: flags show in ps)',
  },
  'imip-reply-domain': {
    type: 'string',
    env: 'ALMANAC_IMIP_REPLY_DOMAIN',
    value: 'DOMAIN',
    description: 'replies go to PREFIX+TOKEN@DOMAIN (default: none, Reply-To is the organizer)',
  },
  'imip-reply-prefix': {
    type: 'string',
    env: 'ALMANAC_IMIP_REPLY_PREFIX',
    value: 'WORD',
    description: `local part before + in reply addresses (default ${DEFAULT_REPLY_PREFIX})`,
  },
  'imap-host': {
    type: 'string',
    env: 'ALMANAC_IMAP_HOST',
    value: 'HOST',
    description: 'IMAP server of the mailbox replies arrive in, polled (default: none)',
  },
  'imap-port': { type: 'string', env: 'ALMANAC_IMAP_PORT', value: 'PORT', description: 'IMAP port (default 993)' },
  'imap-secure': {
    type: 'string',
    env: 'ALMANAC_IMAP_SECURE',
    value: 'on|off',
    description: 'TLS from the first byte (default on for port 993; otherwise STARTTLS when offered)',
  },
  'imap-user': { type: 'string', env: 'ALMANAC_IMAP_USER', value: 'NAME', description: 'IMAP login' },
  'imap-password': {
    type: 'string',
    env: 'ALMANAC_IMAP_PASSWORD',
    value: 'PASSWORD',
    description: 'IMAP password (prefer the variable)',
  },
  'imap-mailbox': {
    type: 'string',
    env: 'ALMANAC_IMAP_MAILBOX',
    value: 'NAME',
    description: 'mailbox polled (default INBOX)',
  },
  'imap-processed-mailbox': {
    type: 'string',
    env: 'ALMANAC_IMAP_PROCESSED_MAILBOX',
    value: 'NAME',
    description: 'move handled messages there (default: mark them \\Seen)',
  },
  'imap-poll': {
    type: 'string',
    env: 'ALMANAC_IMAP_POLL',
    value: 'S',
    description: `seconds between polls (default ${DEFAULT_IMAP_POLL_MS / 1000})`,
  },
  'lmtp-port': {
    type: 'string',
    env: 'ALMANAC_LMTP_PORT',
    value: 'PORT',
    description: 'listen for replies delivered by LMTP on this port (default: off)',
  },
  'lmtp-host': {
    type: 'string',
    env: 'ALMANAC_LMTP_HOST',
    value: 'HOST',
    description: 'address the LMTP listener binds (default 127.0.0.1)',
  },
};

export function onOff(args: ParsedArgs, name: string, fallback: boolean): boolean {
  const raw = args.string(name);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new UsageError(`invalid ${args.source(name)} '${raw}': expected on or off`);
}

function port(args: ParsedArgs, name: string, fallback: number): number {
  return integer(args, name, 1, 65535, 'a port number 1-65535') ?? fallback;
}

/** A setting that `by` cannot do without, named both ways since it was given neither way. */
function missing(args: ParsedArgs, name: string, by: string): UsageError {
  return new UsageError(`${args.source(by)} needs --${name} (or ${IMIP_OPTIONS[name]?.env ?? ''})`);
}

function need(args: ParsedArgs, name: string, by: string): string {
  const v = args.string(name);
  if (v === undefined) throw missing(args, name, by);
  return v;
}

function smtpSettings(args: ParsedArgs, host: string): SmtpSettings {
  const p = port(args, 'smtp-port', 587);
  return {
    host,
    port: p,
    secure: onOff(args, 'smtp-secure', p === 465),
    user: args.string('smtp-user'),
    password: args.string('smtp-password'),
  };
}

function imapSettings(args: ParsedArgs, host: string): ImapSettings {
  const p = port(args, 'imap-port', 993);
  return {
    host,
    port: p,
    secure: onOff(args, 'imap-secure', p === 993),
    user: need(args, 'imap-user', 'imap-host'),
    password: need(args, 'imap-password', 'imap-host'),
    mailbox: args.string('imap-mailbox') ?? 'INBOX',
    processedMailbox: args.string('imap-processed-mailbox'),
    pollMs:
      (integer(args, 'imap-poll', 10, 86_400, 'a number of seconds 10-86400') ?? DEFAULT_IMAP_POLL_MS / 1000) * 1000,
  };
}

/** ServerConfig.imip from the flags above; undefined when none of SMTP, IMAP or LMTP is set. */
export function imipConfig(args: ParsedArgs): ImipConfig | undefined {
  const smtpHost = args.string('smtp-host');
  const imapHost = args.string('imap-host');
  const lmtpPort = integer(args, 'lmtp-port', 0, 65535, 'a port number 0-65535');
  if (smtpHost === undefined && imapHost === undefined && lmtpPort === undefined) return undefined;
  const domain = args.string('imip-reply-domain');
  if (domain === undefined && imapHost !== undefined) throw missing(args, 'imip-reply-domain', 'imap-host');
  if (domain === undefined && lmtpPort !== undefined) throw missing(args, 'imip-reply-domain', 'lmtp-port');
  const lmtp: LmtpSettings | undefined =
    lmtpPort === undefined ? undefined : { host: args.string('lmtp-host') ?? '127.0.0.1', port: lmtpPort };
  return {
    from: smtpHost === undefined ? args.string('imip-from') : need(args, 'imip-from', 'smtp-host'),
    smtp: smtpHost === undefined ? undefined : smtpSettings(args, smtpHost),
    reply:
      domain === undefined ? undefined : { domain, prefix: args.string('imip-reply-prefix') ?? DEFAULT_REPLY_PREFIX },
    imap: imapHost === undefined ? undefined : imapSettings(args, imapHost),
    lmtp,
    limits: DEFAULT_INBOUND_LIMITS,
  };
}
