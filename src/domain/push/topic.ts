import { createHash } from 'node:crypto';

/**
 * The push topic of a collection (draft-bitfire-webdav-push § Push Properties): server-wide
 * unique and fixed for the collection's life, whatever URL reaches it. Derived from the
 * collection's id, which a MOVE keeps, through a hash so it tells a push service nothing.
 */
export function pushTopic(collectionId: number): string {
  return createHash('sha256').update(`almanac push topic ${collectionId}`).digest('base64url').slice(0, 22);
}
