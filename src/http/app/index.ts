import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DavResponse } from '../../dav/core/context.js';
import type { Credentials } from '../../domain/accounts/credentials.js';
import { directoryUnavailable } from '../auth.js';
import { tooManyFailures } from '../throttled.js';
import { clientAddress, type TrustedProxies } from '../client-address.js';
import type { ChangeBus } from '../../push/index.js';
import type { Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import type { ServerConfig } from '../config.js';
import { Accounts, validateBaseUrl } from './accounts.js';
import { AddressRefused, resolveTarget } from './address-policy.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { EventStreams } from './events.js';
import { HttpProblem, json, problem, readJson, str } from './http-util.js';
import { relay } from './relay.js';
import { loadSecretKey } from './secret.js';
import { Sessions, SESSION_SECONDS, type Session } from './sessions.js';
import { SubscriptionsApi } from './subscriptions-api.js';
import { PublicLinksApi } from './public-links-api.js';
import { invitationsSetting } from './invitations-api.js';
import { AccountApi, openTotpSecret } from './account-api.js';
import { BrowserPushApi } from './browser-push-api.js';
import { AdminApi } from './admin-api.js';
import type { DerivedCalendars } from '../derived-calendars.js';
import { DEFAULT_WEB_DIR, serveStatic } from './static.js';
import { OnboardingApi } from './onboarding-api.js';
import { loginOptions, OidcLogin } from './oidc-login.js';
import { requestOrigin } from '../well-known.js';

/** The host of an Origin header value, or null for `null` and anything that is not a URL. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** The 401 of a refused login; `totp` tells the app to ask for the authenticator code (RFC 6238). */
function loginRefusal(reason: string): DavResponse {
  if (reason === 'totp-required') return json(401, { error: 'enter the code from your authenticator app', totp: true });
  if (reason === 'totp-wrong') return json(401, { error: 'wrong code', totp: true });
  return problem(401, 'wrong user name or password');
}

/** The response was written directly (an event stream). */
export const HANDLED = 'handled' as const;

export type CookieAuth = { user: User } | { refused: DavResponse } | null;

/**
 * The web app's server side: session login/logout, cookie auth for /dav with a CSRF token,
 * the built app at `/`, the change-notice stream and the relay to other DAV servers.
 */
export class WebApp {
  private readonly sessions: Sessions;
  private readonly streams: EventStreams;
  private accountsStore: Accounts | undefined;
  private readonly webDir: string;
  private readonly subscriptions: SubscriptionsApi;
  private readonly account: AccountApi;
  private readonly publicLinks: PublicLinksApi;
  private readonly browserPush: BrowserPushApi;
  private readonly onboarding: OnboardingApi;
  private readonly oidc: OidcLogin | null;
  private readonly admin: AdminApi;
  private secretKey: Buffer | undefined;

  constructor(
    private readonly store: Store,
    private readonly config: ServerConfig,
    bus: ChangeBus,
    private readonly credentials: Credentials,
    private readonly trusted: TrustedProxies,
    derived: DerivedCalendars,
  ) {
    this.subscriptions = new SubscriptionsApi(store, derived, config.relayAllowPrivate);
    this.sessions = new Sessions(store);
    this.account = new AccountApi(store, () => this.key);
    this.publicLinks = new PublicLinksApi(store, () => this.key);
    this.browserPush = new BrowserPushApi(store, config.pushTestLoopback === true);
    this.onboarding = new OnboardingApi(store);
    this.oidc = config.oidc ? new OidcLogin(config.oidc, store, this.sessions, trusted) : null;
    this.admin = new AdminApi(store);
    this.streams = new EventStreams(bus, store);
    this.webDir = config.webDir ?? DEFAULT_WEB_DIR;
  }

  /** The key is read (or made) on first use, so a server without accounts never needs one. */
  private get key(): Buffer {
    this.secretKey ??= loadSecretKey(this.config.dataDir, this.config.secretKey ?? process.env.ALMANAC_SECRET_KEY);
    return this.secretKey;
  }

  private get accounts(): Accounts {
    this.accountsStore ??= new Accounts(this.store, this.key);
    return this.accountsStore;
  }

  /** Cookie authentication for a /dav request that carries no Authorization header. */
  async davUser(req: IncomingMessage): Promise<CookieAuth> {
    const session = await this.sessions.fromRequest(req);
    if (!session) return null;
    if (!Sessions.csrfOk(req, session)) return { refused: problem(403, 'missing or wrong X-Almanac-CSRF header') };
    return { user: session.user };
  }

  /** The app's own requests say so; they get a 401 without a Basic challenge (no browser dialog). */
  static fromApp(req: IncomingMessage): boolean {
    return typeof req.headers['x-almanac-csrf'] === 'string';
  }

  async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<DavResponse | typeof HANDLED | null> {
    try {
      if (path.startsWith('/app/')) return await this.api(req, res, path);
      if (path.startsWith('/relay/')) return await this.relay(req, path);
      if (req.method === 'GET' || req.method === 'HEAD') return await serveStatic(this.webDir, path);
      return null;
    } catch (err) {
      if (err instanceof HttpProblem) return err.response();
      throw err;
    }
  }

  private async requireSession(req: IncomingMessage): Promise<Session> {
    const s = await this.sessions.fromRequest(req);
    if (!s) throw new HttpProblem(401, 'not logged in');
    if (!Sessions.csrfOk(req, s)) throw new HttpProblem(403, 'missing or wrong X-Almanac-CSRF header');
    return s;
  }

  private async api(req: IncomingMessage, res: ServerResponse, path: string): Promise<DavResponse | typeof HANDLED> {
    const method = req.method ?? 'GET';
    const session = await this.sessionApi(req, res, path);
    if (session) return session;
    if (path === '/app/accounts') {
      const s = await this.requireSession(req);
      if (method === 'GET') return json(200, await this.accounts.list(s.user.id));
      if (method === 'POST') return this.addAccount(req, s);
    }
    const own = await this.userApi(req, path);
    if (own) return own;
    const m = /^\/app\/accounts\/([A-Za-z0-9_-]+)$/.exec(path);
    if (m?.[1] && method === 'DELETE') {
      const s = await this.requireSession(req);
      return (await this.accounts.remove(s.user.id, m[1])) ? json(200, { ok: true }) : problem(404, 'no such account');
    }
    return problem(404, 'not found');
  }

  /** Logging in and out (password or OpenID Connect), the session and its event stream; null for other paths. */
  private async sessionApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<DavResponse | typeof HANDLED | null> {
    const method = req.method ?? 'GET';
    if (path === '/app/login' && method === 'POST') return this.login(req);
    const sso =
      loginOptions(path, this.config.oidc) ?? (this.oidc?.handles(path) ? await this.oidc.route(req, path) : null);
    if (sso) return sso;
    if (path === '/app/session' && method === 'GET') {
      const s = await this.sessions.fromRequest(req);
      return s ? json(200, this.sessionView(s)) : problem(401, 'not logged in');
    }
    if (path === '/app/logout' && method === 'POST') {
      await this.requireSession(req);
      const token = readCookie(req, SESSION_COOKIE);
      if (token) await this.sessions.destroy(token);
      return json(200, { ok: true }, { 'Set-Cookie': sessionCookie(req, '', 0) });
    }
    if (path === '/app/events' && method === 'GET') {
      const s = await this.requireSession(req);
      this.streams.attach(
        req,
        res,
        s.user,
        async () => (await this.sessions.fromRequest(req).catch(() => null)) !== null,
      );
      return HANDLED;
    }
    return null;
  }

  /** The logged-in user's own settings and devices; null when none of them handles `path`. */
  private async userApi(req: IncomingMessage, path: string): Promise<DavResponse | null> {
    // The session's own settings, each a small API of its own.
    const part = [this.account, this.browserPush, this.subscriptions].find((p) => p.handles(path));
    if (part) return part.route(req, path, (await this.requireSession(req)).user);
    if (this.publicLinks.handles(path)) return this.publicLinks.route(req, (await this.requireSession(req)).user);
    if (this.onboarding.handles(path)) {
      const user = (await this.requireSession(req)).user;
      return this.onboarding.route(req, path, user, requestOrigin(req, this.trusted));
    }
    if (this.admin.handles(path)) return this.admin.route(req, path, (await this.requireSession(req)).user);
    if (path === '/app/invitations') return invitationsSetting(req, this.store, (await this.requireSession(req)).user);
    return null;
  }

  private sessionView(s: Session): Record<string, unknown> {
    return { user: s.user.name, displayName: s.user.displayName, csrf: s.csrf, admin: s.user.isAdmin === true };
  }

  private async login(req: IncomingMessage): Promise<DavResponse> {
    // A cross-site page cannot send application/json without a preflight we never grant;
    // an Origin from elsewhere is refused outright (login CSRF).
    // `Origin: null` (a sandboxed or file: page) is an opaque origin (RFC 6454 §7.3): never ours.
    const origin = req.headers.origin;
    if (origin !== undefined && originHost(origin) !== req.headers.host)
      return problem(403, 'cross-origin login refused');
    const body = await readJson(req);
    const name = str(body.user, 'user name', 64);
    const password = str(body.password, 'password', 1024);
    const code = typeof body.code === 'string' ? body.code.slice(0, 16) : undefined;
    const address = clientAddress(req, this.trusted);
    const result = await this.credentials.web(name, password, code, address, (u) => openTotpSecret(this.key, u));
    if ('retryAfterSeconds' in result) return tooManyFailures(result.retryAfterSeconds, true);
    if ('unavailable' in result) return directoryUnavailable(true);
    if ('refused' in result) return loginRefusal(result.refused);
    const user = result.user;
    const { token, csrf } = await this.sessions.create(user);
    return json(
      200,
      { user: user.name, displayName: user.displayName, csrf, admin: user.isAdmin === true },
      { 'Set-Cookie': sessionCookie(req, token, SESSION_SECONDS) },
    );
  }

  private async addAccount(req: IncomingMessage, s: Session): Promise<DavResponse> {
    const body = await readJson(req);
    const url = validateBaseUrl(str(body.url, 'server address'));
    const username = str(body.username, 'user name', 256);
    const password = str(body.password, 'password', 1024);
    const label = typeof body.label === 'string' && body.label.trim() ? body.label.trim().slice(0, 100) : url.host;
    try {
      await resolveTarget(url.hostname, this.config.relayAllowPrivate);
    } catch (err) {
      if (err instanceof AddressRefused) return problem(403, err.message);
      return problem(400, `cannot resolve ${url.hostname}`);
    }
    return json(201, await this.accounts.add(s.user.id, { label, url, username, password }));
  }

  private async relay(req: IncomingMessage, path: string): Promise<DavResponse> {
    const s = await this.requireSession(req);
    const m = /^\/relay\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(path);
    if (!m?.[1]) return problem(404, 'not found');
    const account = await this.accounts.get(s.user.id, m[1]);
    if (!account) return problem(404, 'no such account');
    const search = new URL(req.url ?? '/', 'http://x').search;
    return relay(req, account, m[2] ?? '/', search, {
      allowPrivate: this.config.relayAllowPrivate,
      maxUploadBytes: this.config.maxUploadBytes,
    });
  }

  close(): void {
    this.streams.closeAll();
  }
}
