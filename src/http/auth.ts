import type { IncomingHttpHeaders } from 'node:http';
import type { CheckResult, Credentials } from '../domain/accounts/credentials.js';
import type { DavResponse } from '../dav/core/context.js';

const WWW_AUTHENTICATE = 'Basic realm="Almanac", charset="UTF-8"';

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };

/** The outcome of a Basic check (domain/accounts/credentials.ts), or null without credentials. */
export type BasicOutcome = CheckResult | null;

/** The user name and password of an Authorization: Basic header (RFC 7617 §2), or null. */
function basicCredentials(value: string | undefined): { name: string; password: string } | null {
  if (!value) return null;
  const m = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The user name an Authorization: Basic header claims (not yet checked), or null. */
export function claimedUserName(headers: IncomingHttpHeaders): string | null {
  return basicCredentials(headers.authorization)?.name ?? null;
}

/**
 * HTTP Basic authentication (RFC 7617) for DAV: the account password or an app password scoped
 * for DAV, checked by domain/accounts/credentials.ts (throttle, directory, TOTP rule, the short
 * memory of verified credentials).
 */
export class BasicAuth {
  constructor(private readonly credentials: Credentials) {}

  /** `address`: the client's address, counted by the throttle. */
  async authenticate(headers: IncomingHttpHeaders, address: string): Promise<BasicOutcome> {
    const cred = basicCredentials(headers.authorization);
    if (!cred) return null;
    return this.credentials.device(cred.name, cred.password, 'dav', address);
  }
}

/**
 * The 401 for a refused Basic credential (RFC 9110 §11.6.1). With two-factor login on, the body
 * says that only an app password will do, so the user knows what to give the device.
 */
export function basicRefusal(reason: string | null): DavResponse {
  const body =
    reason === 'app-password-required'
      ? 'this account uses two-factor authentication: use an app password (web app: Account > App passwords)\n'
      : reason === 'sso-app-password-required'
        ? 'this account logs in with single sign-on (OpenID Connect): use an app password (web app: Account > App passwords)\n'
        : 'authentication required\n';
  return { status: 401, headers: { 'WWW-Authenticate': WWW_AUTHENTICATE, ...TEXT }, body };
}

/** 503 with Retry-After while the user directory cannot be asked (RFC 9110 §15.6.4). */
export function directoryUnavailable(json = false): DavResponse {
  const message = 'the user directory is unavailable; try again shortly';
  return {
    status: 503,
    headers: {
      'Retry-After': '30',
      'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    },
    body: json ? JSON.stringify({ error: message }) : `${message}\n`,
  };
}
