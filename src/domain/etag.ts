import { createHash } from 'node:crypto';

/** A strong entity tag from the content: the same bytes always get the same tag. */
export function contentEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
