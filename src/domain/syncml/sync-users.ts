/** User lookup and password checks for SyncML (port `SyncAuthenticator`), as HTTP Basic does them. */
import type { UsersReader } from '../../store/store.js';
import type { Credentials } from '../accounts/credentials.js';
import type { SyncAuthenticator, SyncUser } from './ports.js';
import { verifyPassword } from '../passwords.js';
import type { AttemptResult, AuthThrottle } from '../throttle.js';

/** A directory that cannot be asked: SyncML's answer is "retry later" (417). */
const DIRECTORY_RETRY_S = 30;

export class StoreSyncUsers implements SyncAuthenticator {
  /**
   * Without a throttle (engine tests), checks run unthrottled against the local hash; the
   * server always passes one and its Credentials (app passwords, directories, the TOTP rule).
   */
  constructor(
    private readonly store: UsersReader,
    private readonly throttle?: AuthThrottle,
    private readonly credentials?: Credentials,
  ) {}

  /**
   * The user for md5 authentication, which needs a secret learnt from a clear-text login: none
   * for a directory user (the directory has the password) or one with TOTP on (app passwords only).
   */
  async user(name: string): Promise<(SyncUser & { passwordHash: string }) | null> {
    const u = await this.store.getUserByName(name);
    return u && !u.directory && !u.totpSecret ? { id: u.id, name: u.name, passwordHash: u.passwordHash } : null;
  }

  async checkPassword(
    name: string,
    password: string,
    address: string,
  ): Promise<AttemptResult<SyncUser & { appPassword: boolean }>> {
    if (this.credentials) {
      const r = await this.credentials.device(name, password, 'syncml', address);
      if ('retryAfterSeconds' in r) return r;
      if ('unavailable' in r) return { retryAfterSeconds: DIRECTORY_RETRY_S };
      if ('refused' in r) return { failed: true };
      return { ok: { id: r.user.id, name: r.user.name, appPassword: r.appPassword !== undefined } };
    }
    return this.attempt(name, address, async () => {
      const u = await this.store.getUserByName(name);
      // An unknown user costs the same scrypt work as a wrong password.
      const ok = await verifyPassword(password, u?.passwordHash ?? null);
      return u && ok ? { id: u.id, name: u.name, appPassword: false } : null;
    });
  }

  async attempt<T>(name: string, address: string, check: () => Promise<T | null>): Promise<AttemptResult<T>> {
    if (this.throttle) return this.throttle.attempt(name, address, check);
    const ok = await check();
    return ok === null ? { failed: true } : { ok };
  }
}
