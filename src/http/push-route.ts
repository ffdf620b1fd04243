import type { DavResponse } from '../dav/core/context.js';
import { REGISTRATION_PATH } from '../dav/index.js';
import type { User } from '../store/types.js';
import type { Store } from '../store/store.js';

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };

/** The registration id a registration URL names (absolute, as Location gave it, or its path). */
function registrationId(url: string): string | null {
  let path: string;
  try {
    path = new URL(url, 'http://x.invalid').pathname;
  } catch {
    return null;
  }
  if (!path.startsWith(REGISTRATION_PATH)) return null;
  const id = path.slice(REGISTRATION_PATH.length);
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

/**
 * `Push-Dont-Notify` (draft-bitfire-webdav-push § Suppressing Notifications): `*`, or a list of
 * quoted registration URLs (RFC 9110 §5.6.1, over one or several header lines). Values that are
 * not registration URLs of this server are ignored, as the draft requires; whose they are is
 * checked when the push is queued (only the writer's own count).
 */
export function parseDontNotify(value: string | string[] | undefined): readonly string[] | '*' {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  if (text.trim() === '*') return '*';
  const ids: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    const id = registrationId(m[1]!.replace(/\\(.)/g, '$1'));
    if (id) ids.push(id);
  }
  return ids;
}

/**
 * The registration URL (draft § Subscription Removal): DELETE removes the registration, 204; an
 * unknown or expired one is 404; another user's is 403 (§ Security Context: only its owner
 * manages it). Nothing else is allowed there.
 */
export async function handleRegistration(store: Store, user: User, method: string, path: string): Promise<DavResponse> {
  const id = registrationId(path);
  if (id === null) return { status: 404, headers: TEXT, body: 'not found\n' };
  if (method !== 'DELETE') return { status: 405, headers: { Allow: 'DELETE', ...TEXT }, body: 'only DELETE\n' };
  const reg = await store.getPushRegistration(id);
  if (!reg || reg.expiresAt <= Date.now()) return { status: 404, headers: TEXT, body: 'no such registration\n' };
  if (reg.userId !== user.id) return { status: 403, headers: TEXT, body: 'not your registration\n' };
  await store.transaction([`push:${user.id}`], (tx) => tx.deletePushRegistration(id));
  return { status: 204, headers: {} };
}
