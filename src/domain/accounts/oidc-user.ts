/**
 * Who an OpenID Connect login is (issue #19): the claim the operator named (`preferred_username`
 * or `email`, OpenID Connect Core 1.0 §5.1) becomes the Almanac user name, matched on every login
 * and provisioned on the first (provision.ts, `users.directory = 'oidc'`). Such a user has no
 * password of their own: devices (DAV, SyncML) use app passwords.
 */
import { couldBeUserName } from '../users.js';
import type { DirectoryUser } from './directory.js';

/** `users.directory` of users made by an OIDC login. */
export const OIDC_DIRECTORY = 'oidc';

export type OidcUserClaim = 'preferred_username' | 'email';

export type Claims = Readonly<Record<string, unknown>>;

/** The user the claims name, or why they name none (a message for the log, never for the page). */
export function oidcUser(claims: Claims, by: OidcUserClaim): DirectoryUser | { readonly refused: string } {
  const value = claims[by];
  if (typeof value !== 'string' || value === '') return { refused: `the ID token has no ${by} claim` };
  // §5.1: an address the provider has not verified must not pick an account.
  const emailOk = typeof claims.email === 'string' && claims.email_verified === true;
  if (by === 'email' && !emailOk) return { refused: 'the e-mail address is not verified (email_verified)' };
  const name = by === 'email' ? value.toLowerCase() : value;
  if (!couldBeUserName(name)) return { refused: `${by} '${name.slice(0, 80)}' cannot be a user name` };
  return {
    name,
    displayName: typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : null,
    emails: emailOk ? [String(claims.email)] : [],
    groups: null,
  };
}
