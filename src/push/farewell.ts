import { pushMessageXml } from '../domain/push/message.js';
import { pushTopic } from '../domain/push/topic.js';
import type { StoreTx } from '../store/store.js';
import { replacementTopic } from './replacement-topic.js';
import type { PushScope } from './scope.js';

/** draft-bitfire-webdav-push § Push Message: the (decrypted) body is XML. */
export const PUSH_MESSAGE_TYPE = 'application/xml; charset="UTF-8"';
/** RFC 8030 §5.2: how long a push service keeps a WebDAV-Push message it could not deliver yet. */
export const PUSH_TTL_S = 24 * 3600;

/**
 * Before the DELETE of `path` removes collections (and, with them, their registrations): queue
 * one last message to each registration with a content-update trigger on `path` or below it.
 * draft § Content Updates counts the removal of the subscribed resource as a content update;
 * the message carries the topic and no sync-token (there is none any more), so the client syncs,
 * finds the collection gone (404) and drops it. Queued as standalone messages in the deleting
 * transaction, so they go out only if the DELETE commits and survive their registrations.
 * Push-Dont-Notify applies as to any change (only the writer's own registrations). Returns how
 * many were queued.
 */
export async function queueFarewells(tx: StoreTx, path: string, scope: PushScope | undefined): Promise<number> {
  if (scope?.dontNotify === '*') return 0;
  const now = Date.now();
  const regs = await tx.pushRegistrationsUnder(path, now);
  if (regs.length === 0) return 0;
  const spared = new Set(scope?.dontNotify ?? []);
  const messages = regs
    .filter((r) => !(spared.has(r.id) && r.userId === scope?.userId))
    .map((r) => {
      const topic = pushTopic(r.collectionId);
      return {
        subscriptionId: null,
        pushResource: r.pushResource,
        publicKey: r.publicKey,
        authSecret: r.authSecret,
        contentType: PUSH_MESSAGE_TYPE,
        payload: pushMessageXml({ topic, content: true, syncToken: null, property: false }),
        urgency: 'normal' as const,
        ttlSeconds: PUSH_TTL_S,
        topic: replacementTopic(topic, true, false),
      };
    });
  return tx.queuePushMessages(messages, now);
}
