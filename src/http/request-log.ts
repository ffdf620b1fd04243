/**
 * Request ids and the per-request log line. Every answer carries `X-Request-Id`: the one a
 * trusted reverse proxy sent (`--trusted-proxies`, client-address.ts — from anyone else the
 * header is ignored, like X-Forwarded-For), so the proxy's log and ours name the request alike,
 * or a new random one. With `--log-format json` each request is one JSON object on one line of
 * stderr; the plain format (`METHOD path status ms`) is the default.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fromTrustedProxy, type TrustedProxies } from './client-address.js';

/** What a proxy's id may look like: printable, no spaces, bounded (nothing a log line could be split by). */
const ID_SHAPE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestId(req: IncomingMessage, trusted: TrustedProxies): string {
  const given = req.headersDistinct['x-request-id']?.at(-1)?.trim();
  if (given !== undefined && ID_SHAPE.test(given) && fromTrustedProxy(req, trusted)) return given;
  return randomUUID();
}

export interface RequestRecord {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  /** The client's address (client-address.ts). */
  readonly client: string;
}

/** The log line of one request, with its newline, in the configured format. */
export function requestLine(format: 'plain' | 'json', r: RequestRecord): string {
  if (format === 'plain') return `${r.method} ${r.path} ${r.status} ${r.ms.toFixed(1)}ms\n`;
  const entry = {
    time: new Date().toISOString(),
    level: r.status >= 500 ? 'error' : 'info',
    msg: 'request',
    id: r.id,
    method: r.method,
    path: r.path,
    status: r.status,
    ms: Math.round(r.ms * 10) / 10,
    client: r.client,
  };
  return `${JSON.stringify(entry)}\n`;
}
