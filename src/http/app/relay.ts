import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { DavResponse } from '../../dav/core/context.js';
import { bodyReader } from '../body.js';
import { INERT_HEADERS } from '../security-headers.js';
import type { AccountCredentials } from './accounts.js';
import { AddressRefused, checkAddresses, checkConnectedAddress, policyLookup } from './address-policy.js';
import { problem } from './http-util.js';

/** Request headers passed on to the other server; everything else (cookies!) stays here. */
const FORWARD_REQUEST = [
  'accept',
  'content-type',
  'depth',
  'if-match',
  'if-none-match',
  'prefer',
  'brief',
  'overwrite',
  'destination',
];
/** Response headers passed back (the type only when it is passive, see relayedType). */
const FORWARD_RESPONSE = ['etag', 'dav', 'allow', 'preference-applied', 'last-modified'];
/**
 * Types of another server's answers passed on as they are: data the app's DAV client reads.
 * Anything else (text/html, image/svg+xml, application/xhtml+xml, …) could be active content
 * and goes out as application/octet-stream.
 */
const PASSIVE_TYPES = new Set([
  'application/xml',
  'text/xml',
  'text/calendar',
  'text/vcard',
  'text/x-vcard',
  'text/plain',
  'application/json',
]);
/**
 * Headers on every relayed answer: another server's bytes are never a page of Almanac's origin
 * (CSP sandbox: an opaque origin without scripts; a download if navigated to; never sniffed).
 */
const RELAYED_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  ...INERT_HEADERS,
  'Content-Disposition': 'attachment',
  'Cache-Control': 'no-store',
};

/** The Content-Type of a relayed answer: the other server's when passive, else octet-stream. */
function relayedType(upstream: string | undefined): string {
  const essence = (upstream ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return PASSIVE_TYPES.has(essence) ? upstream! : 'application/octet-stream';
}
const MAX_RESPONSE = 64 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;

export interface RelayOptions {
  readonly allowPrivate: boolean;
  readonly maxUploadBytes: number;
}

interface Upstream {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  allowPrivate: boolean,
): Promise<Upstream> {
  // An address literal is connected to without a lookup: judge it here; a name is judged by
  // the lookup at connect time; and the connected socket's address once more, whatever the way.
  const literal = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(literal)) checkAddresses(url.hostname, [literal], allowPrivate);
  const lookup = policyLookup(allowPrivate);
  const fn = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = fn(url, { method, headers, lookup, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE) {
          req.destroy(new Error('response too large'));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('socket', (socket) => {
      const judge = (): void => {
        try {
          checkConnectedAddress(url.hostname, socket.remoteAddress, allowPrivate);
        } catch (refused) {
          req.destroy(refused as Error);
        }
      };
      if (socket.connecting) socket.once('connect', judge);
      else judge();
    });
    req.on('timeout', () => req.destroy(new Error('the other server did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Relay one DAV request of the web app to the account's own server. The target is always
 * the account's origin (the path is the one the other server's hrefs name); a redirect is
 * followed only within that origin; loopback/private addresses are refused unless allowed.
 */
export async function relay(
  req: IncomingMessage,
  account: AccountCredentials,
  remotePath: string,
  search: string,
  options: RelayOptions,
): Promise<DavResponse> {
  const origin = new URL(account.url).origin;
  let target = new URL(remotePath + search, origin);
  if (target.origin !== origin) return problem(400, "the relay only reaches the account's own server");
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = {
    Authorization: `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}`,
    'User-Agent': 'Almanac-relay',
  };
  for (const h of FORWARD_REQUEST) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  if (typeof headers.destination === 'string') {
    // MOVE/COPY Destination names a relay URL; map it to the other server (same origin only).
    const m = /\/relay\/[^/]+(\/.*)$/.exec(new URL(headers.destination, 'http://x').pathname);
    if (!m?.[1]) return problem(400, 'bad Destination');
    headers.destination = new URL(m[1], origin).toString();
  }
  const hasBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method);
  const body = hasBody ? await bodyReader(req)(options.maxUploadBytes) : undefined;
  // A known length, never chunked: not every DAV server reads chunked request bodies.
  if (body) headers['content-length'] = String(body.byteLength);
  try {
    for (let hop = 0; ; hop++) {
      const up = await send(target, method, headers, body, options.allowPrivate);
      const location = up.headers.location;
      if ([301, 302, 303, 307, 308].includes(up.status) && location) {
        const next = new URL(location, target);
        if (next.origin !== origin)
          return problem(502, `the other server redirected to another host (${next.host}); not followed`);
        if (hop >= MAX_REDIRECTS) return problem(502, 'the other server redirected too often');
        target = next;
        continue;
      }
      const out: Record<string, string> = {
        ...RELAYED_ANSWER_HEADERS,
        'Content-Type': relayedType(up.headers['content-type']),
      };
      for (const h of FORWARD_RESPONSE) {
        const v = up.headers[h];
        if (typeof v === 'string') out[h] = v;
      }
      // A 401 from the other server must not make the browser ask for *its* password here.
      const status = up.status === 401 ? 502 : up.status;
      if (up.status === 401) return problem(502, 'the other server refused the stored user name or password (401)');
      return { status, headers: out, body: up.body };
    }
  } catch (err) {
    if (err instanceof AddressRefused) return problem(403, err.message);
    return problem(502, `could not reach the other server: ${(err as Error).message}`);
  }
}
