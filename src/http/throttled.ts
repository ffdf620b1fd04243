import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../dav/core/context.js';

/**
 * The address a request came from, as the brute-force throttle counts it: the TCP peer.
 * Forwarded-For headers are not believed (any client could name any address); behind a
 * reverse proxy every client shares the proxy's address count, and the per-account count and
 * trusted addresses still apply.
 */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** 429 Too Many Requests with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3). */
export function tooManyFailures(retryAfterSeconds: number, json = false): DavResponse {
  const message = `too many failed logins; try again in ${retryAfterSeconds} s`;
  return {
    status: 429,
    headers: {
      'Retry-After': String(retryAfterSeconds),
      'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    },
    body: json ? JSON.stringify({ error: message }) : `${message}\n`,
  };
}
