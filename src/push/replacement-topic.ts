import { createHash } from 'node:crypto';

/**
 * The `Topic` header of a WebDAV-Push message (RFC 8030 §5.4; draft-bitfire-webdav-push § Push
 * Message: the push service may replace an undelivered message by a newer one with its topic,
 * and the server must make sure no meaning is lost then). A later content update carries the
 * newer sync-token and so says all an earlier one said; a property update says the same each
 * time. So only messages of the same kind share a topic: content only, property only, both —
 * one topic each per collection. A hash of the collection's push topic and the kind, 22
 * base64url characters (§5.4 allows 32), telling the push service nothing.
 */
export function replacementTopic(collectionTopic: string, content: boolean, property: boolean): string {
  const kind = content && property ? 'both' : content ? 'content' : 'property';
  return createHash('sha256').update(`${collectionTopic} ${kind}`).digest('base64url').slice(0, 22);
}

/** The `Topic` of a browser notification: a hash of its tag, so a newer one for the same thing replaces it. */
export function noticeTopic(tag: string): string {
  return createHash('sha256').update(`almanac notice ${tag}`).digest('base64url').slice(0, 22);
}
