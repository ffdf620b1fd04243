import type { IncomingMessage, ServerResponse } from 'node:http';
import { DAV_ROOT, DavError, REGISTRATION_PATH, handleDav, type DavSettings, type Registry } from '../dav/index.js';
import type { DavResponse } from '../dav/core/context.js';
import type { Store } from '../store/store.js';
import type { AuthThrottle } from '../domain/throttle.js';
import type { Credentials } from '../domain/accounts/credentials.js';
import { basicRefusal, claimedUserName, directoryUnavailable, type BasicAuth } from './auth.js';
import { tooManyFailures } from './throttled.js';
import { clientAddress, type TrustedProxies } from './client-address.js';
import { bodyReader } from './body.js';
import type { ServerConfig } from './config.js';
import { isWellEncoded } from './request-path.js';
import { WELL_KNOWN_PATHS, requestOrigin, wellKnownRedirect } from './well-known.js';
import { handleRegistration, parseDontNotify } from './push-route.js';
import { withPushScope } from '../push/index.js';
import type { User } from '../store/types.js';
import { handleSyncml, SYNCML_PATH } from './syncml-route.js';
import { HANDLED, WebApp } from './app/index.js';
import { OPS_PATHS, opsRoute, type OpsState } from './metrics-route.js';
import type { PublicCalendars } from './public-calendar-route.js';
import type { RequestPrefetch } from '../dav/request-prefetch.js';

import { AUTOCONFIG_PATHS, autoconfig } from './autoconfig.js';

/** What the router needs from the running server, built once by startServer. */
export interface RouteServices {
  readonly store: Store;
  /** This server's DAV registry (dav/index.ts createRegistry), never shared with another server. */
  readonly registry: Registry;
  readonly config: ServerConfig;
  readonly throttle: AuthThrottle;
  readonly trusted: TrustedProxies;
  readonly app: WebApp;
  readonly auth: BasicAuth;
  /** Every password check: account and app passwords, directories, the TOTP rule (issue #19). */
  readonly credentials: Credentials;
  readonly settings: DavSettings;
  /** Request counts, push subscriptions and shutdown state for /metrics and /healthz. */
  readonly ops: OpsState;
  /** Published calendars at /public/calendars/TOKEN.ics (no authentication: the token is it). */
  readonly publicCalendars: PublicCalendars;
  /** A DAV request's first reads, sent with its user's row when the user is known by name. */
  readonly prefetch: RequestPrefetch;
}

/** Methods on `/` that are answered as on the DAV root; GET `/` is the web app. */
const DAV_ON_ROOT = new Set(['PROPFIND', 'OPTIONS', 'REPORT']);

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };

/** Pick the handler for a request path: well-known redirects, SyncML, DAV, then the web app. */
export async function route(
  s: RouteServices,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<DavResponse | typeof HANDLED> {
  if (req.url?.includes('#')) throw DavError.badRequest('a request target must not contain a fragment');
  // RFC 3986 §2.1: one check for every route (DAV, app, relay, static files).
  if (!isWellEncoded(path)) throw DavError.badRequest('malformed percent-encoding in path');
  // RFC 6764 §5: the context path of the DAV service, for any method (clients PROPFIND it).
  if (OPS_PATHS.has(path)) return opsRoute(s, req, path);
  if (WELL_KNOWN_PATHS.has(path)) return wellKnownRedirect(req, s.trusted, `${DAV_ROOT}/`);
  if (AUTOCONFIG_PATHS.has(path)) return autoconfig(req, s.trusted); // Thunderbird, no authentication
  if (path === SYNCML_PATH)
    return handleSyncml(
      s.store,
      req,
      s.config.maxUploadBytes,
      s.throttle,
      clientAddress(req, s.trusted),
      s.credentials,
    );
  // Clients given only the server's address PROPFIND `/` for current-user-principal
  // (RFC 5397, RFC 6764 §6): the root answers those DAV methods as the DAV root.
  if (path === '/' && DAV_ON_ROOT.has(req.method ?? '')) path = `${DAV_ROOT}/`;
  if (path === DAV_ROOT || path.startsWith(`${DAV_ROOT}/`)) return routeDav(s, req, path);
  if (s.publicCalendars.handles(path)) return s.publicCalendars.handle(req, path);
  if (path.startsWith(REGISTRATION_PATH)) {
    const user = await authenticated(s, req);
    return 'status' in user ? user : handleRegistration(s.store, user, req.method ?? 'GET', path);
  }
  const web = await s.app.route(req, res, path); // /app/*, /relay/*, the built web app at /
  if (web) return web;
  return { status: 404, headers: TEXT, body: 'not found\n' };
}

/** A DAV request: Basic auth, else the web app's session cookie, then the DAV handler. */
async function routeDav(s: RouteServices, req: IncomingMessage, path: string): Promise<DavResponse> {
  // A user known by name: their grants and target are read with their row (dav/request-prefetch.ts).
  const claimed = claimedUserName(req.headers);
  const prefetched = s.prefetch.start(s.store, claimed, path);
  const user = await authenticated(s, req);
  if ('status' in user) return user;
  s.prefetch.learn(claimed, user);
  const scope = { userId: user.id, dontNotify: parseDontNotify(req.headers['push-dont-notify']) };
  return handleDav({
    store: withPushScope(s.store, scope),
    registry: s.registry,
    user,
    method: req.method ?? 'GET',
    urlPath: path,
    headers: req.headers,
    body: req,
    settings: s.settings,
    readBody: bodyReader(req),
    prefetched,
    ...originOf(req, s.trusted),
  });
}

function originOf(req: IncomingMessage, trusted: TrustedProxies): { origin?: string } {
  const origin = requestOrigin(req, trusted);
  return origin ? { origin } : {};
}

/** The user a request authenticates as (Basic auth, else the web app's session), or the refusal. */
async function authenticated(s: RouteServices, req: IncomingMessage): Promise<User | DavResponse> {
  const basic = await s.auth.authenticate(req.headers, clientAddress(req, s.trusted));
  if (basic && 'retryAfterSeconds' in basic) return tooManyFailures(basic.retryAfterSeconds);
  if (basic && 'unavailable' in basic) return directoryUnavailable();
  let user = basic && 'user' in basic ? basic.user : null;
  if (!user && !req.headers.authorization) {
    const cookie = await s.app.davUser(req); // the web app: session cookie + CSRF header
    if (cookie && 'refused' in cookie) return cookie.refused;
    user = cookie?.user ?? null;
  }
  if (!user && WebApp.fromApp(req)) return { status: 401, headers: TEXT, body: 'not logged in\n' };
  if (!user) return basicRefusal(basic && 'refused' in basic ? basic.refused : null);
  return user;
}
