import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { passwordStamp } from '../../domain/passwords.js';
import type { Clock, KvReader, KvWriter, Transactional, UsersReader } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';

/** kv namespace of web sessions: shared by every node, so any node can answer any request. */
const NAMESPACE = 'web-session';
export const SESSION_SECONDS = 14 * 24 * 3600;
const CSRF_HEADER = 'x-almanac-csrf';

interface SessionValue {
  readonly userId: number;
  readonly csrf: string;
  /** passwordStamp of the user's password when the session began: a password change ends it. */
  readonly pw?: string;
}

export interface Session {
  readonly user: User;
  readonly csrf: string;
}

/** The stored key is a hash of the cookie, so a leaked database holds no usable session. */
function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  constructor(private readonly store: KvReader & UsersReader & Clock & Transactional<KvWriter>) {}

  /** Start a session; returns the cookie value and the CSRF token bound to it. */
  async create(user: User): Promise<{ token: string; csrf: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const value: SessionValue = { userId: user.id, csrf, pw: passwordStamp(user.passwordHash) };
    await this.store.transaction([`session:${keyOf(token)}`], (tx) =>
      tx.setValue(NAMESPACE, keyOf(token), JSON.stringify(value), this.store.now() + SESSION_SECONDS * 1000),
    );
    return { token, csrf };
  }

  async destroy(token: string): Promise<void> {
    await this.store.transaction([`session:${keyOf(token)}`], (tx) => tx.deleteValue(NAMESPACE, keyOf(token)));
  }

  /** The session named by the request's cookie, or null. */
  async fromRequest(req: IncomingMessage): Promise<Session | null> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token || token.length > 128) return null;
    const raw = await this.store.getValue(NAMESPACE, keyOf(token), this.store.now());
    if (!raw) return null;
    const v = JSON.parse(raw) as SessionValue;
    const user = await this.store.getUserById(v.userId);
    // Read from the store on every request, so a password change or deletion made anywhere
    // (`almanac user passwd` on any node) ends every session of the user at once.
    if (!user || v.pw !== passwordStamp(user.passwordHash)) {
      await this.destroy(token);
      return null;
    }
    return { user, csrf: v.csrf };
  }

  /**
   * CSRF defence for cookie-authenticated requests: SameSite=Strict keeps the cookie off
   * cross-site requests, and every method except GET/HEAD/OPTIONS must also carry the session's
   * token in X-Almanac-CSRF, a header no cross-site form can set.
   */
  static csrfOk(req: IncomingMessage, session: Session): boolean {
    const m = req.method ?? 'GET';
    if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return true;
    const sent = req.headers[CSRF_HEADER];
    return typeof sent === 'string' && sameSecret(sent, session.csrf);
  }
}
