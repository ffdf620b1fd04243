import type { ThrottlePolicy } from '../domain/throttle.js';
import type { ImipConfig } from '../mail/imip-config.js';
import type { DirectoryConfig } from '../domain/accounts/configured-directory.js';
import type { OidcConfig } from './app/oidc-login.js';

/** Everything `almanac serve` can be told. Each field is a flag and an ALMANAC_* variable. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Directory for the embedded SQLite store and other local state. */
  readonly dataDir: string;
  /** `postgres://…` selects PostgreSQL; unset = SQLite under dataDir. */
  readonly database?: string | undefined;
  /** Largest request body accepted for PUT, in bytes (413 above). */
  readonly maxUploadBytes: number;
  /** Largest XML request body, in bytes. */
  readonly maxXmlBytes: number;
  /**
   * Longest the whole request (headers and body) may take to arrive, in ms; then 408 and the
   * connection is closed. Bounds a client that trickles its body a byte at a time.
   */
  readonly requestTimeoutMs: number;
  /** Longest the request line and headers may take to arrive, in ms (then 408, closed). */
  readonly headersTimeoutMs: number;
  /** Longest a request body may stall (no byte arrives) before the connection is cut, in ms. */
  readonly bodyIdleTimeoutMs: number;
  /** How long an idle keep-alive connection stays open for the client's next request, in ms. */
  readonly keepAliveTimeoutMs: number;
  /** Longest a client may leave a streamed answer unread before the connection is closed, in ms. */
  readonly responseStallMs: number;
  /** Log one line per request to stderr. */
  readonly logRequests: boolean;
  /** `plain`: `METHOD path status ms`; `json`: one JSON object per line with a request id (http/request-log.ts). */
  readonly logFormat: 'plain' | 'json';
  /** PEM certificate chain and private key: the listener speaks HTTPS (http/tls.ts); re-read on SIGHUP. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** Bearer token that opens /metrics to any address; loopback needs none (http/metrics-route.ts). */
  readonly metricsToken?: string | undefined;
  /** Let the web app's relay reach loopback/private addresses (other DAV servers on the LAN). */
  readonly relayAllowPrivate: boolean;
  /** Key for credentials at rest (64 hex digits); default ALMANAC_SECRET_KEY, else DATA_DIR/secret.key. */
  readonly secretKey?: string | undefined;
  /** Directory of the built web app; default dist/web. */
  readonly webDir?: string | undefined;
  /** Bytes of report answers kept for repeated requests (dav/core/response-cache.ts); 0 = none. */
  readonly responseCacheBytes: number;
  /** Bytes of parsed calendar objects, intervals and renderings kept (domain/calendar/object-cache.ts); 0 = none. */
  readonly objectCacheBytes: number;
  /**
   * Reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For names the client
   * (http/client-address.ts); empty = the TCP peer is always the client.
   */
  readonly trustedProxies: readonly string[];
  /**
   * How often this node looks for .ics subscriptions that are due, in ms (each feed has its own
   * interval, at least 5 minutes); 0 = this node fetches none on a schedule.
   */
  readonly subscriptionCheckMs: number;
  /** Brute-force throttle settings that differ from domain/throttle.ts DEFAULT_THROTTLE (tests use short waits). */
  readonly authThrottle?: Partial<ThrottlePolicy> | undefined;
  /** Scheduling by email (RFC 6047, src/mail/): SMTP out, IMAP poll / LMTP in; undefined = off. */
  readonly imip?: ImipConfig | undefined;
  /** WebDAV-Push: the VAPID contact (`sub`, RFC 8292 §2.1), a mailto: or https: URL. */
  readonly pushContact: string;
  /** WebDAV-Push: most unexpired registrations per user. */
  readonly pushMaxPerUser: number;
  /**
   * Test-only: allow a push service on a loopback address over plain HTTP (tests run one on
   * 127.0.0.1). No flag sets it; every real server sends to external HTTPS endpoints only.
   */
  readonly pushTestLoopback?: boolean;
  /** WebDAV-Push: how often a node looks for due push jobs without a notice, in ms. */
  readonly pushPollMs?: number;
  /** WebDAV-Push: the first back-off after a push service's 429/5xx, in ms (tests use a short one). */
  readonly pushRetryBaseMs?: number;
  /** Browser Web Push: how often calendars are read for reminders coming up, in ms (default 30 s). */
  readonly pushAlarmScanMs?: number;
  /** Users from LDAP or an IMAP server besides the local ones (issue #19); undefined = local only. */
  readonly directory?: DirectoryConfig | undefined;
  /** Web app login with an OpenID Connect provider (issue #19, http/app/oidc-login.ts); undefined = off. */
  readonly oidc?: OidcConfig | undefined;
}

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
  database: undefined,
  maxUploadBytes: 100 * 1024 * 1024,
  maxXmlBytes: 10 * 1024 * 1024,
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
  bodyIdleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  responseStallMs: 60_000,
  logRequests: true,
  logFormat: 'plain',
  relayAllowPrivate: false,
  trustedProxies: [],
  responseCacheBytes: 16 * 1024 * 1024,
  objectCacheBytes: 32 * 1024 * 1024,
  subscriptionCheckMs: 60_000,
  pushContact: 'mailto:postmaster@localhost',
  pushMaxPerUser: 50,
};
