/**
 * Built-in TLS (`--tls-cert`, `--tls-key`): the listener is node:https with the same timeouts as
 * the plain one. The two PEM files are read at start and again on `reload` (SIGHUP, from
 * `almanac serve`), so a renewed certificate (certbot, an ACME client) is taken without a
 * restart: connections made after the reload get the new certificate, those open keep theirs.
 * A reload whose files cannot be read, or whose key does not fit the certificate, keeps the
 * certificate in use and says why.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { ServerConfig } from './config.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** A certificate and its key, read and checked (opaque to the caller). */
export type TlsPair = Pick<SecureContextOptions, 'cert' | 'key'>;

/** Read the configured pair before anything else starts, so bad files stop the start cleanly; null = plain HTTP. */
export function loadTls(config: ServerConfig): TlsPair | null {
  return config.tls ? readPair(config.tls) : null;
}
type HttpOptions = Parameters<typeof createHttpServer>[0];

/** The PEM pair, checked: createSecureContext throws when the key does not fit the certificate. */
function readPair(files: NonNullable<ServerConfig['tls']>): TlsPair {
  const pair = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  createSecureContext(pair);
  return pair;
}

/** The listener: HTTPS with `pair` (loadTls), else plain HTTP. */
export function createListener(pair: TlsPair | null, options: HttpOptions, listener: Listener): Server {
  if (!pair) return createHttpServer(options, listener);
  return createHttpsServer({ ...options, ...pair }, listener);
}

/**
 * Read the certificate and key again and use them for new connections. Returns null when done
 * (or when there is no TLS to reload), else why the old pair stays.
 */
export function reloadTls(server: Server, config: ServerConfig): string | null {
  if (!config.tls) return 'no --tls-cert/--tls-key configured, nothing to reload';
  try {
    (server as HttpsServer).setSecureContext(readPair(config.tls));
    return null;
  } catch (err) {
    return `keeping the certificate in use: ${(err as Error).message}`;
  }
}
