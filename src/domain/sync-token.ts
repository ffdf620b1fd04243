/** Sync tokens are URIs (RFC 6578 §3.2) naming the collection and a position in its change feed. */
export const SYNC_TOKEN_PREFIX = 'http://almanac.invalid/sync/';

/** The token of position `seq` of a collection's change feed (also what a push message announces). */
export function syncToken(collectionId: number, seq: number): string {
  return `${SYNC_TOKEN_PREFIX}${collectionId}-${seq}`;
}
