import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerForError, DAV_ROOT, DavError, handleDav, registerAll, type DavSettings } from '../dav/index.js';
import type { DavResponse } from '../dav/core/context.js';
import { ResponseCache, type ResponseCacheStats } from '../dav/core/response-cache.js';
import { MemberFragments } from '../dav/core/member-fragments.js';
import type { Store } from '../store/store.js';
import { DEFAULT_XML_LIMITS } from '../xml/limits.js';
import { BasicAuth, WWW_AUTHENTICATE } from './auth.js';
import { AuthThrottle } from '../domain/throttle.js';
import { tooManyFailures } from './throttled.js';
import { clientAddress, parseTrustedProxies } from './client-address.js';
import { bodyReader } from './body.js';
import { BodyFailedBeforeSend, sendResponse } from './send.js';
import type { ServerConfig } from './config.js';
import { isWellEncoded, rawPath } from './request-path.js';
import { INERT_HEADERS } from './security-headers.js';
import { handleSyncml, SYNCML_PATH } from './syncml-route.js';
import { HANDLED, WebApp } from './app/index.js';
import { HttpProblem } from './app/http-util.js';
import { ForeignWriteBus, LocalBus, PgBus, notifyingStore, type ChangeBus } from '../push/index.js';
import { startDerivedCalendars, type DerivedCalendars } from './derived-calendars.js';

/** How often the server looks for connections past their headers or request timeout, in ms. */
const TIMEOUT_CHECK_MS = 1_000;

/**
 * Cut the connection when a request body stalls: no byte for `idleMs` while it is still being
 * received. Node emits the socket's idle timeout on the request only while the request is
 * incomplete; once the body is in, the answer listens (and ignores it), so a slow answer being
 * computed or streamed is not cut (send.ts bounds a client that stops reading).
 */
function watchBodyIdle(req: IncomingMessage, res: ServerResponse, idleMs: number): void {
  req.setTimeout(idleMs, () => req.socket.destroy());
  res.on('timeout', () => undefined);
}

/** The status line for a request Node could not parse or that did not arrive in time. */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  return '400 Bad Request';
}

/** Methods on `/` that are answered as on the DAV root; GET `/` is the web app. */
const DAV_ON_ROOT = new Set(['PROPFIND', 'OPTIONS', 'REPORT']);

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  /** Hits, misses and stores of the report answer cache; null when it is off. */
  readonly responseCacheStats: ResponseCacheStats | null;
  /** Hits and misses of the member fragment cache; null when it is off. */
  readonly memberFragmentStats: MemberFragments['stats'] | null;
  /** The subscription scheduler and the birthday updater (issue #13). */
  readonly derived: DerivedCalendars;
  /** Stop accepting connections, let in-flight requests finish, then resolve. */
  close(): Promise<void>;
}

/** The answer for an error raised while handling a request: a DAV error as such, anything else 500. */
function failure(req: IncomingMessage, path: string, err: unknown): DavResponse {
  const answer = answerForError(err);
  if (answer) return answer;
  if (err instanceof HttpProblem) return err.response();
  console.error(`error: ${req.method} ${path}:`, err);
  return { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'internal server error\n' };
}

/** Start the HTTP listener on `config.host:config.port` (port 0 = any free port). */
export async function startServer(baseStore: Store, config: ServerConfig): Promise<RunningServer> {
  registerAll();
  // Change notices after commit (push/): on PostgreSQL through LISTEN/NOTIFY, so every node hears every change.
  // Writes committed by other processes on the same store (almanac import) are noticed too.
  const bus: ChangeBus = new ForeignWriteBus(baseStore.dialect === 'postgres' && config.database ? new PgBus(config.database) : new LocalBus(), baseStore);
  const store = notifyingStore(baseStore, bus);
  const throttle = new AuthThrottle(store, config.authThrottle);
  const proxies = parseTrustedProxies(config.trustedProxies);
  if ('error' in proxies) throw new Error(`trusted proxies: ${proxies.error}`);
  const trusted = proxies.ok;
  const derived = startDerivedCalendars(store, bus, config);
  const app = new WebApp(store, config, bus, throttle, trusted, derived);
  const auth = new BasicAuth(store, throttle);
  const settings: DavSettings = {
    maxUploadBytes: config.maxUploadBytes,
    xml: { ...DEFAULT_XML_LIMITS, maxBytes: config.maxXmlBytes },
    maxLockSeconds: 7 * 24 * 3600,
    // The memory for repeated answers is shared: half for whole answers, half for member fragments.
    responseCache: config.responseCacheBytes > 0 ? new ResponseCache(Math.ceil(config.responseCacheBytes / 2)) : undefined,
    memberFragments: config.responseCacheBytes > 0 ? new MemberFragments(Math.floor(config.responseCacheBytes / 2)) : undefined,
  };
  let closing = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<DavResponse | typeof HANDLED> {
    if (req.url?.includes('#')) throw DavError.badRequest('a request target must not contain a fragment');
    // RFC 3986 §2.1: one check for every route (DAV, app, relay, static files).
    if (!isWellEncoded(path)) throw DavError.badRequest('malformed percent-encoding in path');
    if (path === '/.well-known/caldav' || path === '/.well-known/carddav') {
      // RFC 6764 §5: the context path of the DAV service.
      return { status: 301, headers: { Location: `${DAV_ROOT}/` } };
    }
    if (path === SYNCML_PATH) return handleSyncml(store, req, config.maxUploadBytes, throttle, clientAddress(req, trusted));
    // Clients given only the server's address PROPFIND `/` for current-user-principal
    // (RFC 5397, RFC 6764 §6): the root answers those DAV methods as the DAV root.
    if (path === '/' && DAV_ON_ROOT.has(req.method ?? '')) path = `${DAV_ROOT}/`;
    if (path === DAV_ROOT || path.startsWith(`${DAV_ROOT}/`)) {
      const basic = await auth.authenticate(req.headers, clientAddress(req, trusted));
      if (basic && 'retryAfterSeconds' in basic) return tooManyFailures(basic.retryAfterSeconds);
      let user = basic?.user ?? null;
      if (!user && !req.headers.authorization) {
        const cookie = await app.davUser(req); // the web app: session cookie + CSRF header
        if (cookie && 'refused' in cookie) return cookie.refused;
        user = cookie?.user ?? null;
      }
      if (!user && WebApp.fromApp(req)) return { status: 401, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'not logged in\n' };
      if (!user) {
        return { status: 401, headers: { 'WWW-Authenticate': WWW_AUTHENTICATE, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'authentication required\n' };
      }
      return handleDav({
        store, user, method: req.method ?? 'GET', urlPath: path, headers: req.headers, body: req,
        settings, readBody: bodyReader(req),
      });
    }
    const web = await app.route(req, res, path); // /app/*, /relay/*, the built web app at /
    if (web) return web;
    return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'not found\n' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    inFlight += 1;
    const path = rawPath(req.url);
    // Inert unless the answer names its own policy (the app's pages do): see security-headers.ts.
    for (const [name, value] of Object.entries(INERT_HEADERS)) res.setHeader(name, value);
    let status = 500;
    try {
      let r: DavResponse;
      try {
        const routed = await route(req, res, path);
        if (routed === HANDLED) {
          status = 200;
          return;
        }
        r = routed;
      } catch (err) {
        r = failure(req, path, err);
      }
      if (closing) res.setHeader('Connection', 'close');
      try {
        status = r.status;
        if (!req.complete && r.status >= 400) res.setHeader('Connection', 'close');
        await sendResponse(req, res, r, config.responseStallMs);
      } catch (err) {
        if (!(err instanceof BodyFailedBeforeSend)) throw err;
        r = failure(req, path, err.reason);
        status = r.status;
        await sendResponse(req, res, r, config.responseStallMs);
      }
    } catch (err) {
      console.error('error while answering:', err);
      res.destroy();
    } finally {
      inFlight -= 1;
      if (config.logRequests) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        process.stderr.write(`${req.method} ${path} ${status} ${ms.toFixed(1)}ms\n`);
      }
      if (closing && inFlight === 0) drained?.();
    }
  }

  const server = createServer({
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: config.headersTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (default 30 s, which let a slow client
    // keep a connection half a minute past them).
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
  }, (req, res) => {
    watchBodyIdle(req, res, config.bodyIdleTimeoutMs);
    void handle(req, res);
  });
  // Expect: 100-continue (RFC 9110 §10.1.1): refuse an oversized upload before the client sends it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > config.maxUploadBytes) {
      res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end(`request body exceeds ${config.maxUploadBytes} bytes\n`);
      return;
    }
    res.writeContinue();
    watchBodyIdle(req, res, config.bodyIdleTimeoutMs);
    void handle(req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(`HTTP/1.1 ${clientErrorStatus(err.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    responseCacheStats: settings.responseCache?.stats ?? null,
    memberFragmentStats: settings.memberFragments?.stats ?? null,
    port,
    derived,
    close: () => new Promise<void>((resolve) => {
      closing = true;
      app.close();
      const derivedStopped = derived.close();
      const finished = new Promise<void>((r) => {
        if (inFlight === 0) r();
        else drained = r;
      });
      server.close(() => undefined);
      server.closeIdleConnections();
      void finished.then(() => {
        server.closeAllConnections();
        void derivedStopped.then(() => bus.close()).then(resolve);
      });
    }),
  };
}
