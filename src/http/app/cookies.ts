import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './http-util.js';

export const SESSION_COOKIE = 'almanac_session';

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new HttpProblem(400, `malformed percent-encoding in cookie ${name}`);
    }
  }
  return undefined;
}

/**
 * Behind TLS (directly or via a proxy that says so) the cookie is Secure. X-Forwarded-Proto is
 * believed from any peer, not only a trusted proxy (client-address.ts): it can only add `Secure`,
 * and a client that forges it merely keeps its own cookie from being sent back over plain HTTP.
 */
function isSecure(req: IncomingMessage): boolean {
  const socket = req.socket as { encrypted?: boolean };
  return (
    socket.encrypted === true ||
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim() === 'https'
  );
}

/** RFC 6265 Set-Cookie: HttpOnly, SameSite=Strict, Path=/, Secure behind TLS. */
export function sessionCookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  return cookie(req, SESSION_COOKIE, value, maxAgeSeconds, { sameSite: 'Strict', path: '/' });
}

/** An HttpOnly cookie, Secure behind TLS (see isSecure). */
export function cookie(
  req: IncomingMessage,
  name: string,
  value: string,
  maxAgeSeconds: number,
  scope: { sameSite: 'Strict' | 'Lax'; path: string },
): string {
  const attrs = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${scope.path}`,
    'HttpOnly',
    `SameSite=${scope.sameSite}`,
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (isSecure(req)) attrs.push('Secure');
  return attrs.join('; ');
}
