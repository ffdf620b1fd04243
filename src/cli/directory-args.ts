import { readFileSync } from 'node:fs';
import type { DirectoryConfig } from '../domain/accounts/configured-directory.js';
import { LDAP_DEFAULTS } from '../domain/accounts/ldap-directory.js';
import { integer } from './args.js';
import { onOff } from './imip-args.js';
import type { OptionTable, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';

/** `almanac serve` flags of a user directory (issue #19): LDAP or IMAP besides local users. */
export const DIRECTORY_OPTIONS: OptionTable = {
  'ldap-url': {
    type: 'string',
    env: 'ALMANAC_LDAP_URL',
    value: 'URL',
    description: 'users also from this LDAP server, ldap:// or ldaps:// (default: local users only)',
  },
  'ldap-bind-dn': {
    type: 'string',
    env: 'ALMANAC_LDAP_BIND_DN',
    value: 'DN',
    description: 'the account that searches for users (default: anonymous search)',
  },
  'ldap-bind-password-file': {
    type: 'string',
    env: 'ALMANAC_LDAP_BIND_PASSWORD_FILE',
    value: 'FILE',
    description: "file holding that account's password (one line)",
  },
  'ldap-base': { type: 'string', env: 'ALMANAC_LDAP_BASE', value: 'DN', description: 'where users are searched' },
  'ldap-filter': {
    type: 'string',
    env: 'ALMANAC_LDAP_FILTER',
    value: 'FILTER',
    description: `user search filter, {user} = the login name (default ${LDAP_DEFAULTS.filter})`,
  },
  'ldap-name-attribute': {
    type: 'string',
    env: 'ALMANAC_LDAP_NAME_ATTRIBUTE',
    value: 'ATTR',
    description: `attribute of the user name (default ${LDAP_DEFAULTS.nameAttribute})`,
  },
  'ldap-display-name-attribute': {
    type: 'string',
    env: 'ALMANAC_LDAP_DISPLAY_NAME_ATTRIBUTE',
    value: 'ATTR',
    description: `attribute of the display name (default ${LDAP_DEFAULTS.displayNameAttribute})`,
  },
  'ldap-email-attribute': {
    type: 'string',
    env: 'ALMANAC_LDAP_EMAIL_ATTRIBUTE',
    value: 'ATTR',
    description: `attribute of e-mail addresses, the first being the calendar address (default ${LDAP_DEFAULTS.emailAttribute})`,
  },
  'ldap-group-base': {
    type: 'string',
    env: 'ALMANAC_LDAP_GROUP_BASE',
    value: 'DN',
    description: "where groups are searched; set = the directory decides its users' groups (default: none)",
  },
  'ldap-group-filter': {
    type: 'string',
    env: 'ALMANAC_LDAP_GROUP_FILTER',
    value: 'FILTER',
    description: `groups of a user, {dn} = the user's DN (default ${LDAP_DEFAULTS.groupFilter})`,
  },
  'ldap-group-name-attribute': {
    type: 'string',
    env: 'ALMANAC_LDAP_GROUP_NAME_ATTRIBUTE',
    value: 'ATTR',
    description: `attribute of a group's name (default ${LDAP_DEFAULTS.groupNameAttribute})`,
  },
  'imap-auth-host': {
    type: 'string',
    env: 'ALMANAC_IMAP_AUTH_HOST',
    value: 'HOST',
    description: 'users also from this IMAP server: a login it accepts is an Almanac user (default: none)',
  },
  'imap-auth-port': {
    type: 'string',
    env: 'ALMANAC_IMAP_AUTH_PORT',
    value: 'PORT',
    description: 'its port (default 993 with TLS, else 143)',
  },
  'imap-auth-tls': {
    type: 'string',
    env: 'ALMANAC_IMAP_AUTH_TLS',
    value: 'on|off',
    description: 'TLS from the first byte (default on; off = STARTTLS when offered)',
  },
};

function ldapConfig(args: ParsedArgs, url: string): DirectoryConfig {
  const base = args.string('ldap-base');
  if (base === undefined) throw new UsageError('--ldap-url needs --ldap-base');
  const file = args.string('ldap-bind-password-file');
  let bindPassword: string | undefined;
  try {
    bindPassword = file === undefined ? undefined : readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new UsageError(`cannot read ${args.source('ldap-bind-password-file')}: ${(err as Error).message}`);
  }
  const d = LDAP_DEFAULTS;
  return {
    kind: 'ldap',
    ldap: {
      url,
      bindDn: args.string('ldap-bind-dn'),
      bindPassword,
      base,
      filter: args.string('ldap-filter') ?? d.filter,
      nameAttribute: args.string('ldap-name-attribute') ?? d.nameAttribute,
      displayNameAttribute: args.string('ldap-display-name-attribute') ?? d.displayNameAttribute,
      emailAttribute: args.string('ldap-email-attribute') ?? d.emailAttribute,
      groupBase: args.string('ldap-group-base'),
      groupFilter: args.string('ldap-group-filter') ?? d.groupFilter,
      groupNameAttribute: args.string('ldap-group-name-attribute') ?? d.groupNameAttribute,
      timeoutMs: d.timeoutMs,
    },
  };
}

/** ServerConfig.directory from the flags above; undefined = local users only. */
export function directoryConfig(args: ParsedArgs): DirectoryConfig | undefined {
  const url = args.string('ldap-url');
  const imapHost = args.string('imap-auth-host');
  if (url !== undefined && imapHost !== undefined)
    throw new UsageError('--ldap-url and --imap-auth-host: choose one user directory');
  if (url !== undefined) return ldapConfig(args, url);
  if (imapHost === undefined) return undefined;
  const tls = onOff(args, 'imap-auth-tls', true);
  const port = integer(args, 'imap-auth-port', 1, 65535, 'a port number 1-65535') ?? (tls ? 993 : 143);
  return { kind: 'imap', imap: { host: imapHost, port, tls, timeoutMs: 10_000 } };
}
