import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { verifyPassword } from '../domain/passwords.js';
import type { AuthThrottle } from '../domain/throttle.js';
import { couldBeUserName } from '../domain/users.js';
import type { UsersReader } from '../store/store.js';
import type { User } from '../store/types.js';

export const WWW_AUTHENTICATE = 'Basic realm="Almanac", charset="UTF-8"';

/** A user, a refusal because of too many failures (RFC 6585 §4), or null (no or wrong credentials). */
export type BasicOutcome = { readonly user: User } | { readonly retryAfterSeconds: number } | null;

/** The user name and password of an Authorization: Basic header (RFC 7617 §2), or null. */
function basicCredentials(value: string | undefined): { name: string; password: string } | null {
  if (!value) return null;
  const m = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic authentication (RFC 7617). A verified credential is remembered briefly, keyed by a
 * hash of name, password and the stored hash, so changing a password invalidates it at once and
 * scrypt runs once per client rather than once per request. An unknown user costs the same
 * scrypt work as a wrong password. Password checks go through the brute-force throttle; a
 * remembered credential does not (it is known to be right), so an attacker who makes the account
 * wait does not lock out the user's clients.
 */
export class BasicAuth {
  private readonly verified = new Map<string, number>();
  private static readonly TTL_MS = 5 * 60_000;
  private static readonly MAX_ENTRIES = 10_000;

  constructor(
    private readonly store: UsersReader,
    private readonly throttle: AuthThrottle,
  ) {}

  /** `address`: the client's address, counted by the throttle. */
  async authenticate(headers: IncomingHttpHeaders, address: string): Promise<BasicOutcome> {
    const cred = basicCredentials(headers.authorization);
    if (!cred) return null;
    const { name, password } = cred;
    // A name no user can have (a NUL, a space…) is unknown without a store query.
    const user = couldBeUserName(name) ? await this.store.getUserByName(name) : null;
    const key = createHash('sha256')
      .update(`${name}\u0000${password}\u0000${user?.passwordHash ?? ''}`)
      .digest('base64');
    const now = Date.now();
    const until = this.verified.get(key);
    if (user && until !== undefined && until > now) return { user };
    const result = await this.throttle.attempt(name, address, async () => {
      // Checks of one account take turns: a parallel request of the same client that was
      // verified meanwhile needs no second scrypt.
      const meanwhile = this.verified.get(key);
      if (user && meanwhile !== undefined && meanwhile > Date.now()) return user;
      return (await verifyPassword(password, user?.passwordHash ?? null)) && user ? user : null;
    });
    if ('retryAfterSeconds' in result) return result;
    if ('failed' in result) return null;
    if (this.verified.size >= BasicAuth.MAX_ENTRIES) this.verified.clear();
    this.verified.set(key, now + BasicAuth.TTL_MS);
    return { user: result.ok };
  }
}
