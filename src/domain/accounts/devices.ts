/**
 * A user's devices as an admin sees them (issue #19 item 6): WebDAV-Push subscriptions with the
 * collection each watches. (App passwords and SyncML devices have their own store reads.)
 */
import type { PushRegistration } from '../../store/capabilities/push.js';
import type { Store } from '../../store/store.js';

export interface PushDevice {
  readonly id: string;
  /** Store path of the collection it watches, e.g. `/calendars/alice/default`. */
  readonly collection: string;
  /** Only the host of the push service: the full URL is a capability of the subscriber. */
  readonly pushService: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly failures: number;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export async function pushDevicesOf(store: Store, userId: number, now = Date.now()): Promise<PushDevice[]> {
  const regs: PushRegistration[] = await store.listPushRegistrations(userId, now);
  const out: PushDevice[] = [];
  for (const r of regs) {
    const collection = (await store.getResourceById(r.collectionId))?.path ?? '';
    out.push({
      id: r.id,
      collection,
      pushService: hostOf(r.pushResource),
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      failures: r.failures,
    });
  }
  return out;
}

/** Remove one of the user's push subscriptions (the push service hears nothing more); false if none. */
export async function removePushDevice(store: Store, userId: number, id: string): Promise<boolean> {
  return store.transaction([`push:${userId}`], async (tx) => {
    const reg = await tx.getPushRegistration(id);
    if (reg?.userId !== userId) return false;
    return tx.deletePushRegistration(id);
  });
}
