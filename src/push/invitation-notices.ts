import { browserPushSettings } from '../domain/push/browser-push-settings.js';
import { invitationNotice, noticePayload } from '../domain/push/notice.js';
import { scheduleBoxPaths } from '../domain/scheduling/boxes.js';
import type { StoreTx } from '../store/store.js';
import type { PutOptions } from '../store/types.js';
import { noticeTopic } from './replacement-topic.js';

/** An invitation not delivered within a day is old news: the app shows the inbox anyway. */
const INVITATION_TTL_S = 24 * 3600;

/**
 * Issue #18 item 4: an iTIP REQUEST written into a user's scheduling inbox (RFC 6638 §4; every
 * delivery, internal or by iMIP, writes one — domain/scheduling/server-writes.ts) notifies each
 * of the user's browsers, unless the user turned invitations off. Queued in the writing
 * transaction, so nothing is sent for a delivery that rolled back. Costs one indexed look-up
 * for a user without browser subscriptions. Returns how many messages were queued.
 */
export async function queueInvitationNotice(tx: StoreTx, path: string, options: PutOptions): Promise<number> {
  const segments = path.split('/');
  const user = segments[2];
  if (segments.length !== 5 || !user || segments.slice(0, 4).join('/') !== scheduleBoxPaths(user).inbox) return 0;
  if ((await tx.browserSubscriptions(options.ownerId)).length === 0) return 0;
  if (!(await browserPushSettings(tx, options.ownerId)).invitations) return 0;
  const notice = invitationNotice(new TextDecoder().decode(options.body));
  if (!notice) return 0;
  return tx.queueUserNotification(
    options.ownerId,
    { payload: noticePayload(notice), urgency: 'normal', ttlSeconds: INVITATION_TTL_S, topic: noticeTopic(notice.tag) },
    Date.now(),
  );
}
