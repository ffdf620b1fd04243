import { createHash } from 'node:crypto';

/** A strong entity tag from the content: the same bytes always get the same tag. */
export function contentEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * The entity tag of a calendar object with per-user data (caldav-sharing §5.5.4): of its body and
 * every user's part, so it changes with any of them. Without per-user data, `contentEtag`.
 */
export function objectEtag(body: Uint8Array, parts: readonly { userId: number; ical: string }[]): string {
  if (parts.length === 0) return contentEtag(body);
  const hash = createHash('sha256').update(body);
  for (const p of parts) hash.update(`\0${p.userId}\0${p.ical}`);
  return `"${hash.digest('base64url').slice(0, 27)}"`;
}
