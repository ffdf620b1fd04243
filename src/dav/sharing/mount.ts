/**
 * Requests through a sharee's instance (issue #17 item 1): the handler runs them on the shared
 * collection's own paths (dav/core/mount.ts) and this module gives the answer back in the
 * instance's terms, so every href a client reads is under the URI it asked for.
 */
import type { DavResponse } from '../core/context.js';
import type { Mount } from '../core/mount.js';
import { hrefOf } from '../core/paths.js';
import type { Principal } from '../../domain/objects/privileges.js';
import type { SharesReader } from '../../store/store.js';

/** The homes instances live in: a calendar is shared into `/calendars/NAME`, an address book into `/addressbooks/NAME`. */
const INSTANCE_HOMES = new Set(['calendars', 'addressbooks']);

/**
 * The mount a request path of `user` lies in, or null. Only an accepted share grants on an
 * instance path (store/sql/shares.ts), and the grants came with the request, so a path no
 * share reaches costs no query.
 */
export async function mountFor(
  store: Pick<SharesReader, 'shareByInstance'>,
  user: Principal,
  path: string,
): Promise<Mount | null> {
  const segments = path.split('/');
  if (segments.length < 4 || !INSTANCE_HOMES.has(segments[1] ?? '') || segments[2] !== user.name) return null;
  const instancePath = segments.slice(0, 4).join('/');
  if (!user.grants?.some((g) => g.path === instancePath)) return null;
  const share = await store.shareByInstance(instancePath);
  return share && share.shareeId === user.id ? { instancePath, share } : null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The answer with the shared collection's hrefs given under the instance: the href of each
 * DAV:response (RFC 4918 §14.24) and of a DAV:need-privileges resource (RFC 3744 §7.1.1), and
 * a Location header. Hrefs that name the owner's collection on purpose (CS:shared-url, CS:hosturl)
 * are not in those places and stay as they are. A multistatus is cut into pieces between
 * responses (core/multistatus.ts), so no href spans two pieces.
 */
export function rebaseAnswer(res: DavResponse, mount: Mount): DavResponse {
  const from = hrefOf(mount.share.collectionPath, false);
  const to = hrefOf(mount.instancePath, false);
  const pattern = new RegExp(`(<D:(?:response|resource)><D:href>)${escapeRegExp(from)}(?=[/<])`, 'g');
  const rebase = (text: string): string => text.replace(pattern, `$1${to}`);
  const location = res.headers?.Location;
  const headers =
    location !== undefined && (location === from || location.startsWith(`${from}/`))
      ? { ...res.headers, Location: to + location.slice(from.length) }
      : res.headers;
  if (!/xml/i.test(res.headers?.['Content-Type'] ?? '') || res.body === undefined) return { ...res, headers };
  const body = res.body;
  if (typeof body === 'string') return { ...res, headers, body: rebase(body) };
  if (body instanceof Uint8Array) return { ...res, headers, body: rebase(new TextDecoder().decode(body)) };
  return {
    ...res,
    headers,
    body: (async function* () {
      for await (const piece of body) yield rebase(piece);
    })(),
  };
}
