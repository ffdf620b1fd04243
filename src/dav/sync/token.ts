import { DavError } from '../core/errors.js';
import { SYNC_TOKEN_PREFIX, syncToken } from '../../domain/sync-token.js';

export { syncToken };

/** The feed position a token names; a token of another collection or a malformed one is invalid (403). */
export function parseSyncToken(token: string, collectionId: number): number {
  const m = new RegExp(`^${SYNC_TOKEN_PREFIX.replace(/[.]/g, '\\.')}(\\d+)-(\\d+)$`).exec(token.trim());
  if (!m || Number(m[1]) !== collectionId) {
    throw DavError.condition('valid-sync-token', 'the sync token is not valid for this collection');
  }
  return Number(m[2]);
}
