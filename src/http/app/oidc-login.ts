/**
 * Web app login with an OpenID Connect provider (issue #19; OpenID Connect Core 1.0 §3.1, the
 * authorization code flow, with openid-client):
 *
 *   GET /app/login-options   {oidc: {label} | null}: whether the login page shows the button
 *   GET /app/oidc/login      302 to the provider; PKCE (RFC 7636, S256), state and nonce are
 *                            kept server-side (kv `oidc-login`, 10 minutes, any node) under a
 *                            random id in a SameSite=Lax cookie bound to this browser
 *   GET /app/oidc/callback   the provider's answer: the pending login is taken (once), the code
 *                            exchanged; openid-client checks state, PKCE, the ID token's
 *                            signature against the provider's JWKS (non-repudiation checks on),
 *                            issuer, audience, expiry and nonce (§3.1.3.7). Then the user named
 *                            by the configured claim is matched or provisioned (oidc-user.ts) and
 *                            gets a session as a password login does; 303 to the app.
 *
 * Any refusal (no pending login, wrong state, nonce, audience or signature, an expired token, the
 * provider's own error, a claim that cannot be a user name, a local user of that name) sends the
 * browser back to the login page with `?login=oidc-failed` and logs the reason; no session is made.
 * OIDC users have no password of their own: DAV and SyncML take their app passwords
 * (credentials.ts, the 401 says so).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import * as client from 'openid-client';
import type { DavResponse } from '../../dav/core/context.js';
import { OIDC_DIRECTORY, oidcUser, type Claims, type OidcUserClaim } from '../../domain/accounts/oidc-user.js';
import { provisionUser } from '../../domain/accounts/provision.js';
import type { Store } from '../../store/store.js';
import type { TrustedProxies } from '../client-address.js';
import { requestOrigin } from '../well-known.js';
import { cookie, readCookie, sessionCookie } from './cookies.js';
import { json, problem } from './http-util.js';
import { SESSION_SECONDS, type Sessions } from './sessions.js';

export interface OidcConfig {
  /** The issuer URL; discovery reads `/.well-known/openid-configuration` below it. */
  readonly issuer: string;
  readonly clientId: string;
  /** Unset: a public client (PKCE alone). */
  readonly clientSecret?: string | undefined;
  readonly userClaim: OidcUserClaim;
  /** The provider's name on the login button. */
  readonly label: string;
}

const LOGIN = '/app/oidc/login';
const CALLBACK = '/app/oidc/callback';
const OPTIONS = '/app/login-options';
const PENDING = 'oidc-login';
const PENDING_SECONDS = 600;
const COOKIE = 'almanac_oidc';
const FAILED = '/?login=oidc-failed';

interface Pending {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly redirectUri: string;
}

/** openid-client's error with its code and cause (which check failed, e.g. the nonce's claim). */
function describe(err: unknown): string {
  const e = err as Error & { code?: unknown; cause?: unknown };
  const cause =
    e.cause instanceof Error ? e.cause.message : e.cause && typeof e.cause === 'object' ? JSON.stringify(e.cause) : '';
  return [e.message, typeof e.code === 'string' ? `(${e.code})` : '', cause ? `: ${cause.slice(0, 300)}` : '']
    .filter(Boolean)
    .join(' ');
}

const keyOf = (id: string): string => createHash('sha256').update(id).digest('hex');

function redirect(location: string, setCookie?: string): DavResponse {
  const headers: Record<string, string> = { Location: location, 'Cache-Control': 'no-store' };
  if (setCookie) headers['Set-Cookie'] = setCookie;
  return { status: location === FAILED || location === '/' ? 303 : 302, headers, body: '' };
}

/** The login page's question, answered also when OIDC is off. */
export function loginOptions(path: string, config: OidcConfig | undefined): DavResponse | null {
  if (path !== OPTIONS) return null;
  return json(200, { oidc: config ? { label: config.label } : null });
}

export class OidcLogin {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(
    private readonly config: OidcConfig,
    private readonly store: Store,
    private readonly sessions: Sessions,
    private readonly trusted: TrustedProxies,
  ) {}

  handles(path: string): boolean {
    return path === LOGIN || path === CALLBACK;
  }

  async route(req: IncomingMessage, path: string): Promise<DavResponse> {
    if (req.method !== 'GET') return problem(405, 'use GET');
    return path === LOGIN ? this.start(req) : this.callback(req);
  }

  /** Discovery once per process; a failure is not kept, so the next login asks again. */
  private provider(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((err: unknown) => {
      this.discovered = null;
      throw err;
    });
    return this.discovered;
  }

  private discover(): Promise<client.Configuration> {
    const issuer = new URL(this.config.issuer);
    const auth = this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None();
    // Plain http only for a provider on loopback (cli/oidc-args.ts refuses anything else).
    const execute = [client.enableNonRepudiationChecks];
    if (issuer.protocol === 'http:') execute.push(client.allowInsecureRequests);
    return client.discovery(issuer, this.config.clientId, undefined, auth, { execute, timeout: 10 });
  }

  private fail(reason: string): DavResponse {
    console.error(`oidc: login refused: ${reason}`);
    return redirect(FAILED);
  }

  private async start(req: IncomingMessage): Promise<DavResponse> {
    const origin = requestOrigin(req, this.trusted);
    if (!origin) return problem(400, 'the Host header does not name this server');
    let provider: client.Configuration;
    try {
      provider = await this.provider();
    } catch (err) {
      return this.fail(`discovery at ${this.config.issuer} failed: ${(err as Error).message}`);
    }
    const pending: Pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      redirectUri: `${origin}${CALLBACK}`,
    };
    const id = randomBytes(24).toString('base64url');
    await this.store.transaction([`oidc:${keyOf(id)}`], (tx) =>
      tx.setValue(PENDING, keyOf(id), JSON.stringify(pending), Date.now() + PENDING_SECONDS * 1000),
    );
    const url = client.buildAuthorizationUrl(provider, {
      redirect_uri: pending.redirectUri,
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    // Lax: the cookie must come back on the provider's top-level redirect to the callback.
    const bind = cookie(req, COOKIE, id, PENDING_SECONDS, { sameSite: 'Lax', path: '/app/oidc/' });
    return redirect(url.href, bind);
  }

  /** The pending login of this browser, removed so it is used once; null when there is none. */
  private async take(req: IncomingMessage): Promise<Pending | null> {
    const id = readCookie(req, COOKIE);
    if (!id || id.length > 64) return null;
    const key = keyOf(id);
    return this.store.transaction([`oidc:${key}`], async (tx) => {
      const raw = await tx.getValue(PENDING, key, Date.now());
      if (raw === null) return null;
      await tx.deleteValue(PENDING, key);
      return JSON.parse(raw) as Pending;
    });
  }

  private async callback(req: IncomingMessage): Promise<DavResponse> {
    const pending = await this.take(req);
    if (!pending) return this.fail('no login in progress in this browser (or it expired, or was used)');
    const current = new URL(pending.redirectUri);
    current.search = new URL(req.url ?? '/', 'http://x').search;
    let claims: Claims;
    let provider: client.Configuration;
    try {
      provider = await this.provider();
      const tokens = await client.authorizationCodeGrant(provider, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() ?? {};
      // The claim may be only at the UserInfo endpoint (§5.3); its `sub` must match (§5.3.2).
      if (claims[this.config.userClaim] === undefined && typeof claims.sub === 'string')
        claims = { ...(await client.fetchUserInfo(provider, tokens.access_token, claims.sub)), ...claims };
    } catch (err) {
      return this.fail(describe(err));
    }
    const who = oidcUser(claims, this.config.userClaim);
    if ('refused' in who) return this.fail(who.refused);
    const user = await provisionUser(this.store, OIDC_DIRECTORY, who);
    if (!user) return this.fail(`'${who.name}' is a user of another kind (local or a directory): not taken over`);
    const { token } = await this.sessions.create(user);
    return redirect('/', sessionCookie(req, token, SESSION_SECONDS));
  }
}
