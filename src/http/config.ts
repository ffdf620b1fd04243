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
  /** Longest a request may take before it is answered 503/408, in ms. */
  readonly requestTimeoutMs: number;
  /** Longest a client may leave a streamed answer unread before the connection is closed, in ms. */
  readonly responseStallMs: number;
  /** Log one line per request to stderr. */
  readonly logRequests: boolean;
  /** Let the web app's relay reach loopback/private addresses (other DAV servers on the LAN). */
  readonly relayAllowPrivate: boolean;
  /** Key for credentials at rest (64 hex digits); default ALMANAC_SECRET_KEY, else DATA_DIR/secret.key. */
  readonly secretKey?: string | undefined;
  /** Directory of the built web app; default dist/web. */
  readonly webDir?: string | undefined;
  /** Bytes of report answers kept for repeated requests (dav/core/response-cache.ts); 0 = none. */
  readonly responseCacheBytes: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
  database: undefined,
  maxUploadBytes: 100 * 1024 * 1024,
  maxXmlBytes: 10 * 1024 * 1024,
  requestTimeoutMs: 120_000,
  responseStallMs: 60_000,
  logRequests: true,
  relayAllowPrivate: false,
  responseCacheBytes: 16 * 1024 * 1024,
};
