import { loadSecretKey } from './app/secret.js';
import { startImip, type RunningImip } from '../mail/wire.js';
import { schedulingPorts } from './mail-ports.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerForError, createRegistry, type DavSettings } from '../dav/index.js';
import type { DavResponse } from '../dav/core/context.js';
import { Caches, type CacheName, type CacheStats } from '../domain/caches.js';
import { postgresUrl } from '../store/database-url.js';
import type { Store } from '../store/store.js';
import { DEFAULT_XML_LIMITS } from '../xml/limits.js';
import { BasicAuth } from './auth.js';
import { RequestPrefetch } from '../dav/request-prefetch.js';
import { AuthThrottle } from '../domain/throttle.js';
import { Credentials } from '../domain/accounts/credentials.js';
import { configuredDirectory } from '../domain/accounts/configured-directory.js';
import { clientAddress, parseTrustedProxies } from './client-address.js';
import { HttpMetrics } from './metrics.js';
import { countingSubscribers } from './metrics-route.js';
import { requestId, requestLine } from './request-log.js';
import { createListener, loadTls, reloadTls, type TlsPair } from './tls.js';
import { BodyFailedBeforeSend, sendResponse } from './send.js';
import type { ServerConfig } from './config.js';
import { rawPath } from './request-path.js';
import { INERT_HEADERS } from './security-headers.js';
import { HANDLED, WebApp } from './app/index.js';
import { route, type RouteServices } from './route.js';
import { PublicCalendars } from './public-calendar-route.js';
import { asTask } from '../domain/cooperative.js';
import { HttpProblem } from './app/http-util.js';
import {
  DEFAULT_DELIVERY,
  ForeignWriteBus,
  openChangeBus,
  PushDelivery,
  AlarmNotifier,
  loadVapidKeys,
  notifyingStore,
  prepareKeying,
  type ChangeBus,
} from '../push/index.js';
import { pushTransport } from './push-transport.js';
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

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  /** Statistics of every cache that is on, by name (domain/caches.ts); a snapshot per call. */
  cacheStats(): Partial<Record<CacheName, CacheStats>>;
  /** The subscription scheduler and the birthday updater (issue #13). */
  readonly derived: DerivedCalendars;
  /** Scheduling by email, when configured (RFC 6047, src/mail/): drain the queue now, the LMTP port. */
  readonly imip: RunningImip | null;
  /** The store as the server writes it: what is written through it is announced (live updates, push). */
  readonly store: Store;
  /** Read the TLS certificate and key again (SIGHUP); null when done, else why the old pair stays. */
  reloadTls(): string | null;
  /** Stop accepting connections, let in-flight requests finish, then resolve. */
  close(): Promise<void>;
}

/** The answer for an error raised while handling a request: a DAV error as such, anything else 500. */
function failure(req: IncomingMessage, path: string, err: unknown, id: string): DavResponse {
  const answer = answerForError(err);
  if (answer) return answer;
  if (err instanceof HttpProblem) return err.response();
  console.error(`error: ${req.method} ${path} (request ${id}):`, err);
  return { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'internal server error\n' };
}

/** Requests being answered, and the hook `close` waits on until there are none. */
interface Traffic {
  closing: boolean;
  inFlight: number;
  drained: (() => void) | undefined;
}

/** What runs in the background for push: stopped when the server closes. */
interface PushRunner {
  close(): Promise<void>;
}

/**
 * WebDAV-Push delivery (push/delivery.ts) with the store's VAPID key, sending through the
 * address policy (push-transport.ts); it hears the same change bus as the web app's events.
 */
async function startPush(
  baseStore: Store,
  bus: ChangeBus,
  config: ServerConfig,
): Promise<{ delivery: PushRunner; settings: NonNullable<DavSettings['push']> }> {
  const keys = await loadVapidKeys(baseStore);
  const allowLoopbackHttp = config.pushTestLoopback === true;
  const transport = pushTransport({ timeoutMs: 30_000, allowLoopbackHttp });
  const delivery = new PushDelivery(baseStore, keys, transport, {
    ...DEFAULT_DELIVERY,
    subject: config.pushContact,
    pollMs: config.pushPollMs ?? DEFAULT_DELIVERY.pollMs,
    retryBaseMs: config.pushRetryBaseMs ?? DEFAULT_DELIVERY.retryBaseMs,
  });
  delivery.start(bus);
  // Reminders to browsers (push/alarms.ts): queued notices are looked for at once.
  const alarms = new AlarmNotifier(baseStore, {
    scanMs: config.pushAlarmScanMs ?? 30_000,
    queued: () => void delivery.kick(),
  });
  alarms.start();
  return {
    delivery: { close: async () => void (await Promise.all([alarms.close(), delivery.close()])) },
    settings: {
      vapidPublicKey: keys.publicKey,
      maxPerUser: config.pushMaxPerUser,
      allowLoopbackHttp,
      registered: (sub) => prepareKeying(sub.publicKey, sub.authSecret),
    },
  };
}

/** Build what every request shares: the change bus, auth, the web app and the DAV settings. */
async function services(
  baseStore: Store,
  config: ServerConfig,
  traffic: Traffic,
): Promise<RouteServices & { readonly bus: ChangeBus; readonly derived: DerivedCalendars; readonly push: PushRunner }> {
  // Change notices after commit (push/), chosen by the configured database: on PostgreSQL through
  // LISTEN/NOTIFY, so every node hears every change. Writes committed by other processes on the
  // same store (almanac import; SQLite: its data_version) are noticed too.
  const pgUrl = postgresUrl(config.database);
  const bus: ChangeBus = new ForeignWriteBus(await openChangeBus(pgUrl), baseStore);
  const counted = countingSubscribers(bus); // the web app's event streams, for /metrics
  const store = notifyingStore(baseStore, bus);
  const throttle = new AuthThrottle(store, config.authThrottle);
  const proxies = parseTrustedProxies(config.trustedProxies);
  if ('error' in proxies) throw new Error(`trusted proxies: ${proxies.error}`);
  const trusted = proxies.ok;
  const derived = startDerivedCalendars(store, bus, config);
  const credentials = new Credentials(store, throttle, configuredDirectory(config.directory));
  const app = new WebApp(store, config, counted.bus, credentials, trusted, derived);
  const auth = new BasicAuth(credentials);
  const caches = new Caches(config);
  const push = await startPush(baseStore, bus, config);
  const settings: DavSettings = {
    maxUploadBytes: config.maxUploadBytes,
    xml: { ...DEFAULT_XML_LIMITS, maxBytes: config.maxXmlBytes },
    maxLockSeconds: 7 * 24 * 3600,
    caches,
    push: push.settings,
  };
  return {
    store,
    registry: createRegistry(),
    config,
    throttle,
    trusted,
    app,
    auth,
    credentials,
    settings,
    bus,
    derived,
    push: push.delivery,
    publicCalendars: new PublicCalendars(store),
    prefetch: new RequestPrefetch(),
    ops: { http: new HttpMetrics(), pushSubscribers: counted.count, closing: () => traffic.closing },
  };
}

/** Answer one request: route it, send the answer (or the error's), count it in flight and log it. */
async function handle(s: RouteServices, traffic: Traffic, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { config } = s;
  const started = process.hrtime.bigint();
  traffic.inFlight += 1;
  s.ops.http.inFlight += 1;
  const path = rawPath(req.url);
  const id = requestId(req, s.trusted);
  res.setHeader('X-Request-Id', id);
  // Inert unless the answer names its own policy (the app's pages do): see security-headers.ts.
  for (const [name, value] of Object.entries(INERT_HEADERS)) res.setHeader(name, value);
  let status = 500;
  try {
    let r: DavResponse;
    try {
      const routed = await route(s, req, res, path);
      if (routed === HANDLED) {
        status = res.statusCode;
        return;
      }
      r = routed;
    } catch (err) {
      r = failure(req, path, err, id);
    }
    if (traffic.closing) res.setHeader('Connection', 'close');
    try {
      status = r.status;
      if (!req.complete && r.status >= 400) res.setHeader('Connection', 'close');
      await sendResponse(req, res, r, config.responseStallMs);
    } catch (err) {
      if (!(err instanceof BodyFailedBeforeSend)) throw err;
      r = failure(req, path, err.reason, id);
      status = r.status;
      await sendResponse(req, res, r, config.responseStallMs);
    }
  } catch (err) {
    console.error(`error while answering (request ${id}):`, err);
    res.destroy();
  } finally {
    traffic.inFlight -= 1;
    s.ops.http.inFlight -= 1;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    s.ops.http.observe(req.method, status, ms / 1000);
    if (config.logRequests) {
      const method = req.method ?? '';
      const client = clientAddress(req, s.trusted);
      process.stderr.write(requestLine(config.logFormat, { id, method, path, status, ms, client }));
    }
    if (traffic.closing && traffic.inFlight === 0) traffic.drained?.();
  }
}

/** The node:http server with its timeouts, Expect: 100-continue and malformed-request answers. */
function httpServer(
  config: ServerConfig,
  tls: TlsPair | null,
  onRequest: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Server {
  const server = createListener(
    tls,
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (default 30 s, which let a slow client
      // keep a connection half a minute past them).
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
    (req, res) => {
      watchBodyIdle(req, res, config.bodyIdleTimeoutMs);
      void onRequest(req, res);
    },
  );
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
    void onRequest(req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable)
      socket.end(`HTTP/1.1 ${clientErrorStatus(err.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}

/** Start the HTTP listener on `config.host:config.port` (port 0 = any free port). */
/**
 * Scheduling by email (RFC 6047) when ServerConfig.imip names an SMTP server, an IMAP mailbox
 * or an LMTP port: the mailer drains the outbound iTIP queue, replies read from mail are applied
 * (http/mail-ports.ts). Reply tokens are keyed by the server's secret key.
 */
function startMail(store: Store, config: ServerConfig): Promise<RunningImip> | null {
  const imip = config.imip;
  if (!imip || (!imip.smtp && !imip.imap && !imip.lmtp)) return null;
  const key = loadSecretKey(config.dataDir, config.secretKey ?? process.env.ALMANAC_SECRET_KEY);
  return startImip(imip, key, schedulingPorts(store));
}

/**
 * Stop what `services` started: the web app and the derived calendars at once; the returned
 * function, called once no request needs them any more, waits for those, stops push and then
 * the change bus.
 */
function stopServices(s: Awaited<ReturnType<typeof services>>): () => Promise<void> {
  s.app.close();
  const derivedStopped = s.derived.close();
  return async () => {
    await Promise.all([derivedStopped, s.push.close()]);
    await s.bus.close();
  };
}

export async function startServer(baseStore: Store, config: ServerConfig): Promise<RunningServer> {
  const tls = loadTls(config); // first: unreadable TLS files stop the start before anything runs
  const traffic: Traffic = { closing: false, inFlight: 0, drained: undefined };
  const s = await services(baseStore, config, traffic);
  const { derived, settings } = s;
  // Each request is one task of the event-loop queue (domain/cooperative.ts): its slices go by its arrival.
  const server = httpServer(config, tls, (req, res) => asTask(() => handle(s, traffic, req, res)));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    // Nothing started for this server may outlive it (the push delivery's first look at the
    // store, a derived calendar's refresh): the caller closes the store next.
    await stopServices(s)();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const imip = await startMail(s.store, config);
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `${config.tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
    reloadTls: () => reloadTls(server, config),
    cacheStats: () => settings.caches.stats(),
    port,
    derived,
    imip,
    store: s.store,
    close: () =>
      new Promise<void>((resolve) => {
        traffic.closing = true;
        void imip?.close();
        const stopped = stopServices(s);
        const finished = new Promise<void>((r) => {
          if (traffic.inFlight === 0) r();
          else traffic.drained = r;
        });
        server.close(() => undefined);
        server.closeIdleConnections();
        void finished.then(() => {
          server.closeAllConnections();
          void stopped().then(resolve);
        });
      }),
  };
}
