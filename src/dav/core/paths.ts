import { DavError } from './errors.js';

/** Where the DAV tree is mounted. Store paths map to hrefs below it. */
export const DAV_ROOT = '/dav';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Characters that never need decoding or checking in a path segment (RFC 3986 unreserved and sub-delims, ':' '@'). */
const PLAIN_SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]+$/;

function decodeSegment(raw: string): string {
  // Most segments (user names, UUID file names) have nothing to decode: skip the byte round trip.
  if (PLAIN_SEGMENT.test(raw) && raw !== '.' && raw !== '..') return raw;
  if (/%2f/i.test(raw) || /%5c/i.test(raw)) throw DavError.badRequest('encoded slashes are not allowed in paths');
  if (/%(?![0-9a-fA-F]{2})/.test(raw)) throw DavError.badRequest('malformed percent-encoding in path');
  const bytes = Buffer.from(
    raw.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );
  let seg: string;
  try {
    seg = utf8.decode(bytes);
  } catch {
    throw DavError.badRequest('path is not valid UTF-8');
  }
  if (seg === '.' || seg === '..') throw DavError.badRequest('dot segments are not allowed in paths');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(seg)) throw DavError.badRequest('control characters are not allowed in paths');
  return seg;
}

/** A URL path below DAV_ROOT whose segments need no decoding nor check (none starts with a dot). */
const PLAIN_URL_PATH = new RegExp(`^${DAV_ROOT}(?:/[A-Za-z0-9\\-_~@][A-Za-z0-9\\-._~@]*)+/?$`);

/**
 * The store path of a request URL path under /dav (`/dav/files/a%20b/` → `/files/a b`),
 * or null if the path is not under the DAV root. Refuses `..`, encoded slashes, bad UTF-8.
 */
export function storePathOf(urlPath: string): string | null {
  // The common case (a multiget names a hundred of them): plain segments, none empty or a dot
  // segment — the store path is the URL path below the root, without a trailing slash.
  if (PLAIN_URL_PATH.test(urlPath)) return urlPath.slice(DAV_ROOT.length, urlPath.endsWith('/') ? -1 : undefined);
  if (urlPath !== DAV_ROOT && !urlPath.startsWith(`${DAV_ROOT}/`)) return null;
  const rest = urlPath.slice(DAV_ROOT.length);
  // Raw bytes above 0x7f are not valid in a request target; Node hands them over as latin1.
  if (/[^\x21-\x7e]/.test(rest)) {
    // Re-encode so the UTF-8 check below decides (clients do send raw UTF-8 at times).
    return storePathOf(DAV_ROOT + encodeRawPath(rest));
  }
  const segments = rest
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  return segments.length === 0 ? '/' : `/${segments.join('/')}`;
}

function encodeRawPath(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code > 0x20 && code < 0x7f) out += ch;
    else out += `%${code.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Characters encodeSegment leaves as they are. */
const SAFE_SEGMENT = /^[A-Za-z0-9\-._~@]+$/;

/** Percent-encode one segment for an href, keeping characters safe in a path segment. */
export function encodeSegment(seg: string): string {
  if (SAFE_SEGMENT.test(seg)) return seg;
  return encodeURIComponent(seg)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%40/g, '@');
}

/** A store path whose every segment encodeSegment leaves as it is (the common case: UUID names). */
const SAFE_PATH = /^(?:\/[A-Za-z0-9\-._~@]+)+$/;

/** The href of a store path; collections end in `/`. */
export function hrefOf(storePath: string, isCollection: boolean): string {
  if (storePath === '/') return `${DAV_ROOT}/`;
  if (SAFE_PATH.test(storePath)) return `${DAV_ROOT}${storePath}${isCollection ? '/' : ''}`;
  const encoded = storePath.split('/').slice(1).map(encodeSegment).join('/');
  return `${DAV_ROOT}/${encoded}${isCollection ? '/' : ''}`;
}

/**
 * The store path named by a Destination header or an If-header tag (absolute URI or path).
 * The host is not compared: behind a reverse proxy the client's host name is not ours to know,
 * and only the path decides which resource is meant.
 */
export function storePathOfUri(uri: string): string | null {
  let path = uri;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
    let parsed: URL;
    try {
      parsed = new URL(uri);
    } catch {
      throw DavError.badRequest(`malformed URI: ${uri}`);
    }
    path = parsed.pathname;
  }
  return storePathOf(path.split('?')[0] ?? path);
}
