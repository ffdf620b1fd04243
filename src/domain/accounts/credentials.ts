/**
 * Every password check of the server (issue #19): HTTP Basic for DAV, SyncML, and the web app's
 * login. One place decides which secret a use accepts:
 *
 * - DAV and SyncML accept the account password, or an app password whose scope names the use.
 *   With TOTP on, only app passwords: the account password alone is refused (the answer says so).
 * - The web login accepts the account password (never an app password) and, with TOTP on, the
 *   current code as well.
 * - A local user's password is checked against its scrypt hash; a directory user's by the
 *   directory (LDAP, IMAP), which also provisions a first-time user (provision.ts). A local user
 *   always wins over a directory user of the same name.
 *
 * Every check runs under the brute-force throttle; a wrong password, a wrong code and an account
 * password where only an app password will do all count as failures. A verified Basic credential
 * is remembered for a few minutes, keyed by what it was checked against (the password hash, the
 * app password's row, whether TOTP is on), so a password change, a revocation or turning TOTP on
 * ends it at once: the row is read from the store on every request, on any node.
 */
import { createHash } from 'node:crypto';
import type { AppPasswordsReader, AppPasswordsWriter, KvReader, KvWriter, Transactional } from '../../store/store.js';
import type { AclReader, ObjectsReader, SharesReader, StoreTx, UsersReader } from '../../store/store.js';
import type { AppPassword, AppPasswordScope, User } from '../../store/types.js';
import { verifyPassword } from '../passwords.js';
import type { AuthThrottle } from '../throttle.js';
import { couldBeUserName } from '../users.js';
import { appPasswordId, normalizeAppPassword } from './app-passwords.js';
import { DirectoryUnavailable, type Authenticator } from './directory.js';
import { OIDC_DIRECTORY } from './oidc-user.js';
import { provisionUser } from './provision.js';
import { useTotpCode } from './totp.js';

export type CheckResult =
  | { readonly user: User; readonly appPassword?: AppPassword }
  | { readonly retryAfterSeconds: number }
  /**
   * wrong: name or password; app-password-required: TOTP is on; sso-app-password-required: the
   * user logs in with OpenID Connect and has no password of their own; totp-required/-wrong: the
   * web login's code.
   */
  | {
      readonly refused:
        'wrong' | 'app-password-required' | 'sso-app-password-required' | 'totp-required' | 'totp-wrong';
    }
  | { readonly unavailable: string };

type CredentialStore = UsersReader &
  AppPasswordsReader &
  KvReader &
  AclReader &
  SharesReader &
  ObjectsReader &
  Transactional<StoreTx & AppPasswordsWriter & KvWriter>;

/** How long a verified Basic credential is remembered. */
const REMEMBER_MS = 5 * 60_000;
const MAX_REMEMBERED = 10_000;
/** Last-used times are written at most this often per app password. */
const TOUCH_EVERY_MS = 60_000;

function cacheKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64');
}

/** Opens a sealed TOTP secret (the web layer holds the key); null when it cannot. */
export type TotpSecretOpener = (user: User) => string | null;

export class Credentials {
  private readonly remembered = new Map<string, { userId: number; until: number }>();
  /** Device checks being made, by credential (the `remembered` key) and address: see `joined`. */
  private readonly checking = new Map<string, Promise<CheckResult>>();

  constructor(
    private readonly store: CredentialStore,
    private readonly throttle: AuthThrottle,
    private readonly directory: Authenticator | null,
  ) {}

  /** A DAV or SyncML check: account password, or an app password scoped for `use`. */
  async device(name: string, password: string, use: AppPasswordScope, address: string): Promise<CheckResult> {
    try {
      const id = appPasswordId(password);
      const row = id ? await this.store.getAppPassword(id) : null;
      if (row) return await this.withAppPassword(name, password, use, address, row);
      return await this.withAccountPassword(name, password, address, 'device');
    } catch (err) {
      if (err instanceof DirectoryUnavailable) return { unavailable: err.message };
      throw err;
    }
  }

  /** The web app's login: the account password and, when TOTP is on, a current code. */
  async web(
    name: string,
    password: string,
    code: string | undefined,
    address: string,
    openTotp: TotpSecretOpener,
  ): Promise<CheckResult> {
    try {
      return await this.withAccountPassword(name, password, address, { code, openTotp });
    } catch (err) {
      if (err instanceof DirectoryUnavailable) return { unavailable: err.message };
      throw err;
    }
  }

  private recall(key: string): number | null {
    const hit = this.remembered.get(key);
    return hit && hit.until > Date.now() ? hit.userId : null;
  }

  /**
   * `check` of a device credential from `address`, or the one of the same credential and address
   * already running: its outcome is theirs too. A client opens several connections at once and
   * sends the same credential on each before the first check is done; the throttle takes the
   * checks of one account in turns, so each waited for the one before and then ran scrypt again
   * (issue #20: 120 first PUTs at once took 19 s, one password check after another). A check
   * with another password, another address, or after this one ended runs on its own.
   */
  private joined(key: string, address: string, check: () => Promise<CheckResult>): Promise<CheckResult> {
    const k = `${key}\u0000${address}`;
    const running = this.checking.get(k);
    if (running) return running;
    const started = check().finally(() => this.checking.delete(k));
    this.checking.set(k, started);
    return started;
  }

  private remember(key: string, userId: number): void {
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(key, { userId, until: Date.now() + REMEMBER_MS });
  }

  private async withAppPassword(
    name: string,
    password: string,
    use: AppPasswordScope,
    address: string,
    row: AppPassword,
  ): Promise<CheckResult> {
    const user = await this.store.getUserById(row.userId);
    const fits = user !== null && user.name.toLowerCase() === name.toLowerCase() && row.scopes.includes(use);
    const secret = normalizeAppPassword(password);
    const key = cacheKey(['app', row.id, row.secretHash, secret, use]);
    if (fits && this.recall(key) === user.id) return this.used(user, row);
    // The claimed name is part of what is joined: the app password alone names its row.
    return this.joined(`${key}\u0000${name.toLowerCase()}`, address, async () => {
      const result = await this.throttle.attempt(name, address, async () =>
        (await verifyPassword(secret, row.secretHash)) && fits ? user : null,
      );
      if ('retryAfterSeconds' in result) return result;
      if ('failed' in result) return { refused: 'wrong' };
      this.remember(key, result.ok.id);
      return this.used(result.ok, row);
    });
  }

  /** Note the use (at most once a minute per app password) and answer the user. */
  private async used(user: User, row: AppPassword): Promise<CheckResult> {
    const now = Date.now();
    if (row.lastUsedAt === null || row.lastUsedAt < now - TOUCH_EVERY_MS) {
      await this.store.transaction([`app-password:${row.id}`], (tx) =>
        tx.touchAppPassword(row.id, now, now - TOUCH_EVERY_MS),
      );
    }
    return { user, appPassword: row };
  }

  private async withAccountPassword(
    name: string,
    password: string,
    address: string,
    mode: 'device' | { code: string | undefined; openTotp: TotpSecretOpener },
  ): Promise<CheckResult> {
    const found = couldBeUserName(name) ? await this.store.getUserByName(name) : null;
    const key = cacheKey(['pw', name, password, found?.passwordHash ?? '', found?.directory ?? '']);
    if (mode === 'device' && found && !found.totpSecret && this.recall(key) === found.id) return { user: found };
    const check = (): Promise<CheckResult> => this.accountPasswordCheck(name, password, address, mode, found, key);
    return mode === 'device' ? this.joined(key, address, check) : check();
  }

  /** `withAccountPassword`'s check under the throttle, remembering a device credential it verified. */
  private async accountPasswordCheck(
    name: string,
    password: string,
    address: string,
    mode: 'device' | { code: string | undefined; openTotp: TotpSecretOpener },
    found: User | null,
    key: string,
  ): Promise<CheckResult> {
    let refusal: CheckResult | null = null;
    const result = await this.throttle.attempt(name, address, async () => {
      if (found?.directory === OIDC_DIRECTORY && mode === 'device') {
        // An OIDC user's only secret here is an app password: say so, and count the attempt.
        await verifyPassword(password, null);
        refusal = { refused: 'sso-app-password-required' };
        return null;
      }
      const user = await this.passwordRight(name, password, found);
      if (!user) return null;
      if (user.totpSecret && mode === 'device') refusal = { refused: 'app-password-required' };
      else if (user.totpSecret && mode !== 'device') refusal = await this.secondFactor(user, mode);
      return refusal ? null : user;
    });
    if ('retryAfterSeconds' in result) return result;
    if ('failed' in result) return refusal ?? { refused: 'wrong' };
    if (mode === 'device') this.remember(key, result.ok.id);
    return { user: result.ok };
  }

  /** Null when the code is right (and now used up), else why not. */
  private async secondFactor(
    user: User,
    { code, openTotp }: { code: string | undefined; openTotp: TotpSecretOpener },
  ): Promise<CheckResult | null> {
    if (code === undefined || code.trim() === '') return { refused: 'totp-required' };
    const secret = openTotp(user);
    if (secret && (await useTotpCode(this.store, user.id, secret, code))) return null;
    return { refused: 'totp-wrong' };
  }

  /** The user when `password` is theirs: local hash, or the directory (provisioning on first login). */
  private async passwordRight(name: string, password: string, found: User | null): Promise<User | null> {
    const dir = this.directory;
    if (found && !found.directory) return (await verifyPassword(password, found.passwordHash)) ? found : null;
    if (!dir || (found && found.directory !== dir.kind)) {
      await verifyPassword(password, null); // the same work as a wrong password
      return null;
    }
    const entry = await dir.authenticate(name, password);
    return entry ? provisionUser(this.store, dir.kind, entry) : null;
  }
}
