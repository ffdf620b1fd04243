import { el } from '../../xml/element.js';
import { dav, webdavPush } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';

/** What one push message says (draft-bitfire-webdav-push § Push Message). */
export interface PushMessage {
  readonly topic: string;
  readonly content: boolean;
  /** The collection's sync token after a content update; null = none (the collection is gone). */
  readonly syncToken: string | null;
  readonly property: boolean;
}

/**
 * The `push-message` body: the topic, a `content-update` carrying the new `DAV:sync-token` (so a
 * client that already has it can skip the sync; empty when the collection was removed) and/or an empty `property-update`.
 */
export function pushMessageXml(m: PushMessage): string {
  return serializeXml(
    el(
      webdavPush('push-message'),
      {},
      el(webdavPush('topic'), {}, m.topic),
      m.content
        ? el(webdavPush('content-update'), {}, m.syncToken === null ? null : el(dav('sync-token'), {}, m.syncToken))
        : null,
      m.property ? el(webdavPush('property-update')) : null,
    ),
  );
}
