/** The user directory `almanac serve` was told to use (issue #19): LDAP, IMAP, or none (local only). */
import type { Authenticator } from './directory.js';
import { ImapDirectory, type ImapAuthConfig } from './imap-directory.js';
import { LdapDirectory, type LdapConfig } from './ldap-directory.js';

export type DirectoryConfig =
  { readonly kind: 'ldap'; readonly ldap: LdapConfig } | { readonly kind: 'imap'; readonly imap: ImapAuthConfig };

export function configuredDirectory(config: DirectoryConfig | undefined): Authenticator | null {
  if (!config) return null;
  return config.kind === 'ldap' ? new LdapDirectory(config.ldap) : new ImapDirectory(config.imap);
}
