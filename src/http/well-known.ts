/**
 * RFC 6764 §5 / RFC 8615: `/.well-known/caldav` and `/.well-known/carddav` redirect to the
 * context path of the DAV service. The Location is absolute (RFC 9110 §10.2.2 allows a relative
 * one, but iOS and older CalDAV clients resolve it against the well-known URL's own scheme and
 * port, which behind a TLS proxy is not the one the client used): the scheme is https when the
 * socket is TLS or a trusted proxy says so (X-Forwarded-Proto, read only from trusted peers as
 * X-Forwarded-For is, client-address.ts), and the authority is the request's Host. A Host that is
 * not a plain host[:port] gets the relative form. The answer is never stored by a cache
 * (`Cache-Control: no-store`), so a Host sent by one client cannot reach another.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { fromTrustedProxy, type TrustedProxies } from './client-address.js';

export const WELL_KNOWN_PATHS = new Set([
  '/.well-known/caldav',
  '/.well-known/carddav',
  '/.well-known/caldav/',
  '/.well-known/carddav/',
]);

/** host, IPv4 or [IPv6], and an optional port: nothing a header could smuggle. */
const AUTHORITY =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function scheme(req: IncomingMessage, trusted: TrustedProxies): 'http' | 'https' {
  if ((req.socket as Partial<TLSSocket>).encrypted) return 'https';
  if (!fromTrustedProxy(req, trusted)) return 'http';
  const proto = String(req.headersDistinct['x-forwarded-proto']?.at(-1) ?? '')
    .split(',')
    .pop()
    ?.trim()
    .toLowerCase();
  return proto === 'https' ? 'https' : 'http';
}

/** `scheme://host[:port]` the client reached; undefined when the Host is not a plain authority. */
export function requestOrigin(req: IncomingMessage, trusted: TrustedProxies): string | undefined {
  const host = req.headers.host ?? '';
  return AUTHORITY.test(host) ? `${scheme(req, trusted)}://${host}` : undefined;
}

/** The redirect to `target` (a path), absolute where the request names a usable Host. */
export function wellKnownRedirect(
  req: IncomingMessage,
  trusted: TrustedProxies,
  target: string,
): { status: number; headers: Record<string, string> } {
  const location = `${requestOrigin(req, trusted) ?? ''}${target}`;
  return { status: 301, headers: { Location: location, 'Cache-Control': 'no-store' } };
}
