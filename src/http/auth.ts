import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { verifyPassword } from '../domain/passwords.js';
import type { StoreReader } from '../store/store.js';
import type { User } from '../store/types.js';

export const WWW_AUTHENTICATE = 'Basic realm="Almanac", charset="UTF-8"';

/**
 * HTTP Basic authentication (RFC 7617). A verified credential is remembered briefly, keyed by a
 * hash of name, password and the stored hash, so changing a password invalidates it at once and
 * scrypt runs once per client rather than once per request. An unknown user costs the same
 * scrypt work as a wrong password.
 */
export class BasicAuth {
  private readonly verified = new Map<string, number>();
  private static readonly TTL_MS = 5 * 60_000;
  private static readonly MAX_ENTRIES = 10_000;

  constructor(private readonly store: StoreReader) {}

  async authenticate(headers: IncomingHttpHeaders): Promise<User | null> {
    const value = headers.authorization;
    if (!value) return null;
    const m = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
    if (!m?.[1]) return null;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const name = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const user = await this.store.getUserByName(name);
    const key = createHash('sha256').update(`${name}\u0000${password}\u0000${user?.passwordHash ?? ''}`).digest('base64');
    const now = Date.now();
    const until = this.verified.get(key);
    if (user && until !== undefined && until > now) return user;
    const ok = await verifyPassword(password, user?.passwordHash ?? null);
    if (!ok || !user) return null;
    if (this.verified.size >= BasicAuth.MAX_ENTRIES) this.verified.clear();
    this.verified.set(key, now + BasicAuth.TTL_MS);
    return user;
  }
}
