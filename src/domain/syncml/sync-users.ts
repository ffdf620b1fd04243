/** User lookup and password checks for SyncML (port `SyncAuthenticator`), as HTTP Basic does them. */
import type { UsersReader } from '../../store/store.js';
import type { SyncAuthenticator, SyncUser } from './ports.js';
import { verifyPassword } from '../passwords.js';
import type { AttemptResult, AuthThrottle } from '../throttle.js';

export class StoreSyncUsers implements SyncAuthenticator {
  /** Without a throttle (engine tests), checks run unthrottled; the server always passes one. */
  constructor(
    private readonly store: UsersReader,
    private readonly throttle?: AuthThrottle,
  ) {}

  async user(name: string): Promise<(SyncUser & { passwordHash: string }) | null> {
    const u = await this.store.getUserByName(name);
    return u ? { id: u.id, name: u.name, passwordHash: u.passwordHash } : null;
  }

  async verify(name: string, password: string): Promise<SyncUser | null> {
    const u = await this.store.getUserByName(name);
    // An unknown user costs the same scrypt work as a wrong password.
    const ok = await verifyPassword(password, u?.passwordHash ?? null);
    return u && ok ? { id: u.id, name: u.name } : null;
  }

  async attempt<T>(name: string, address: string, check: () => Promise<T | null>): Promise<AttemptResult<T>> {
    if (this.throttle) return this.throttle.attempt(name, address, check);
    const ok = await check();
    return ok === null ? { failed: true } : { ok };
  }
}
