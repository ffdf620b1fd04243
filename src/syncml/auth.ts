/**
 * SyncML authentication (RepPro 1.2 §5.1.4 Cred, §5.1.2 Chal; digest §4): syncml:auth-basic,
 * syncml:auth-md5 (nonces: nonce.ts) and HTTP Basic.
 *
 * MD5 needs B64(MD5(user:password)) on the server. Almanac keeps only scrypt hashes, so that
 * value is learnt from a successful clear-text login (HTTP Basic or auth-basic) and kept in kv
 * bound to the user's current password hash: a password change invalidates it. Until then the
 * server challenges md5 users with auth-basic.
 *
 * Nothing is stored for a message that does not authenticate: a 401/407 challenge is computed,
 * not kept (nonce.ts); the learnt secret and the device's next nonce are written only after a
 * successful check.
 */
import { createHash } from 'node:crypto';
import { STATUS, type Cred, type Meta } from '../formats/syncml/model.js';
import { acceptedNonces, challengeNonce, storedNonce, storeNextNonce } from './nonce.js';
import type { SyncAuthenticator, SyncStateStore, SyncUser } from './ports.js';

const AUTH_BASIC = 'syncml:auth-basic';
const AUTH_MD5 = 'syncml:auth-md5';
const NS_MD5 = 'syncml-md5';
const md5 = (data: Uint8Array | string): Buffer => createHash('md5').update(data).digest();

/** B64(MD5("user:password")) — the md5 credential a server may store (digest §4). */
export function md5Secret(user: string, password: string): string {
  return md5(`${user}:${password}`).toString('base64');
}

/**
 * The md5 digest a client sends (SyncML ≥ 1.1, changes_for_syncml_represent_v11 §2.19):
 * B64(MD5(B64(MD5(user:pw)) + ":" + nonce)), the nonce being the decoded bytes of NextNonce.
 * SyncML 1.0: B64(MD5(user:pw:nonce)).
 */
export function md5Digest(
  secret: string,
  nonce: Uint8Array,
  version: string,
  user?: string,
  password?: string,
): string {
  if (version === '1.0' && user !== undefined && password !== undefined) {
    return md5(Buffer.concat([Buffer.from(`${user}:${password}:`), nonce])).toString('base64');
  }
  return md5(Buffer.concat([Buffer.from(`${secret}:`), nonce])).toString('base64');
}

export interface AuthResult {
  readonly user: SyncUser | null;
  /**
   * 212 accepted, 401 wrong credentials, 407 missing credentials, 417 retry later: too many
   * failed attempts on the account or from the address (domain/throttle.ts); the credentials
   * were not checked.
   */
  readonly status:
    typeof STATUS.AUTH_ACCEPTED | typeof STATUS.INVALID_CRED | typeof STATUS.MISSING_CRED | typeof STATUS.RETRY_LATER;
  /** The challenge to send: which scheme, and the nonce for md5. */
  readonly chal: Meta;
}

/** The answer to a throttled client: no check made, no challenge worth answering now. */
const RETRY_LATER: AuthResult = { user: null, status: STATUS.RETRY_LATER, chal: { type: AUTH_BASIC, format: 'b64' } };

function decodeBasic(data: string): { user: string; password: string } | null {
  const text = Buffer.from(data, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? null : { user: text.slice(0, i), password: text.slice(i + 1) };
}

export class Authenticator {
  constructor(
    private readonly users: SyncAuthenticator,
    private readonly state: SyncStateStore,
  ) {}

  /** The user named and their learnt md5 secret; null when there is no such user or no valid secret. */
  private async md5Account(
    userName: string,
  ): Promise<{ user: SyncUser & { readonly passwordHash: string }; secret: string } | null> {
    const u = await this.users.user(userName);
    if (!u) return null;
    const raw = await this.state.getValue(NS_MD5, u.name);
    if (!raw) return null;
    const v = JSON.parse(raw) as { hash: string; secret: string };
    return v.hash === u.passwordHash ? { user: u, secret: v.secret } : null;
  }

  private async learnSecret(userName: string, password: string): Promise<void> {
    const u = await this.users.user(userName);
    if (u)
      await this.state.setValue(
        NS_MD5,
        u.name,
        JSON.stringify({ hash: u.passwordHash, secret: md5Secret(userName, password) }),
        null,
      );
  }

  /**
   * The challenge of a 401/407: md5 for a user with a learnt secret, else basic. Nothing is
   * written: the nonce is the device's stored one or a stateless one (nonce.ts).
   */
  private async challenge(deviceId: string, userName: string | undefined): Promise<Meta> {
    const account = userName !== undefined ? await this.md5Account(userName) : null;
    if (!account) return { type: AUTH_BASIC, format: 'b64' };
    const nonce = challengeNonce(
      await storedNonce(this.state, deviceId),
      account.user.passwordHash,
      deviceId,
      account.user.name,
    );
    return { type: AUTH_MD5, format: 'b64', nextNonce: nonce };
  }

  /** The challenge of a 212, for the device's next session: a fresh nonce, stored before it is sent. */
  private async nextChallenge(deviceId: string, userName: string): Promise<Meta> {
    if (!(await this.md5Account(userName))) return { type: AUTH_BASIC, format: 'b64' };
    return { type: AUTH_MD5, format: 'b64', nextNonce: await storeNextNonce(this.state, deviceId) };
  }

  /** A clear-text password check under the brute-force throttle: the user, null, or 'throttled'; learns the md5 secret. */
  private async checkPassword(
    b: { user: string; password: string },
    address: string,
  ): Promise<SyncUser | null | 'throttled'> {
    const r = await this.users.checkPassword(b.user, b.password, address);
    if ('retryAfterSeconds' in r) return 'throttled';
    if (!('ok' in r)) return null;
    // An app password's secret is never learnt for md5: revoking it must end it (issue #19).
    if (!r.ok.appPassword) await this.learnSecret(b.user, b.password);
    return { id: r.ok.id, name: r.ok.name };
  }

  /** `address`: the client's network address, counted by the throttle. */
  async authenticate(opts: {
    cred: Cred | undefined;
    httpAuthorization: string | undefined;
    deviceId: string;
    locName: string | undefined;
    version: string;
    address?: string | undefined;
  }): Promise<AuthResult> {
    const { cred, deviceId } = opts;
    const address = opts.address ?? 'unknown';
    // HTTP Basic on the POST itself is enough (the "and HTTP Basic").
    if (!cred && opts.httpAuthorization?.toLowerCase().startsWith('basic ')) {
      const b = decodeBasic(opts.httpAuthorization.slice(6).trim());
      const user = b ? await this.checkPassword(b, address) : null;
      if (user === 'throttled') return RETRY_LATER;
      if (b && user) {
        return { user, status: STATUS.AUTH_ACCEPTED, chal: await this.nextChallenge(deviceId, user.name) };
      }
      return { user: null, status: STATUS.INVALID_CRED, chal: await this.challenge(deviceId, b?.user) };
    }
    if (!cred) return { user: null, status: STATUS.MISSING_CRED, chal: await this.challenge(deviceId, opts.locName) };
    const type = (cred.meta.type ?? AUTH_BASIC).toLowerCase();
    if (type === AUTH_BASIC) {
      const b = decodeBasic(cred.data);
      const user = b ? await this.checkPassword(b, address) : null;
      if (user === 'throttled') return RETRY_LATER;
      if (!b || !user)
        return { user: null, status: STATUS.INVALID_CRED, chal: await this.challenge(deviceId, b?.user) };
      return { user, status: STATUS.AUTH_ACCEPTED, chal: await this.nextChallenge(deviceId, user.name) };
    }
    if (type === AUTH_MD5) {
      const name = opts.locName;
      const account = name ? await this.md5Account(name) : null;
      if (!name || !account)
        return { user: null, status: STATUS.INVALID_CRED, chal: { type: AUTH_BASIC, format: 'b64' } };
      const { user, secret } = account;
      const nonces = acceptedNonces(await storedNonce(this.state, deviceId), user.passwordHash, deviceId, user.name);
      const given =
        cred.meta.format === 'b64' || cred.meta.format === undefined
          ? cred.data.trim()
          : Buffer.from(cred.data, 'latin1').toString('base64');
      const matches = (): boolean =>
        nonces.some((n) => md5Digest(secret, Buffer.from(n, 'base64'), opts.version) === given);
      const r = await this.users.attempt(name, address, async () => (matches() ? user : null));
      if ('retryAfterSeconds' in r) return RETRY_LATER;
      if (!('ok' in r)) return { user: null, status: STATUS.INVALID_CRED, chal: await this.challenge(deviceId, name) };
      return {
        user: { id: user.id, name: user.name },
        status: STATUS.AUTH_ACCEPTED,
        chal: await this.nextChallenge(deviceId, user.name),
      };
    }
    return { user: null, status: STATUS.INVALID_CRED, chal: { type: AUTH_BASIC, format: 'b64' } };
  }
}
