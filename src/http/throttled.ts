import type { DavResponse } from '../dav/core/context.js';

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
