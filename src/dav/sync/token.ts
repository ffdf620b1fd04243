import { DavError } from '../core/errors.js';

/** Sync tokens are URIs (RFC 6578 §3.2) naming the collection and a position in its change feed. */
const PREFIX = 'http://almanac.invalid/sync/';

export function syncToken(collectionId: number, seq: number): string {
  return `${PREFIX}${collectionId}-${seq}`;
}

/** The feed position a token names; a token of another collection or a malformed one is invalid (403). */
export function parseSyncToken(token: string, collectionId: number): number {
  const m = new RegExp(`^${PREFIX.replace(/[.]/g, '\\.')}(\\d+)-(\\d+)$`).exec(token.trim());
  if (!m || Number(m[1]) !== collectionId) {
    throw DavError.condition('valid-sync-token', 'the sync token is not valid for this collection');
  }
  return Number(m[2]);
}
