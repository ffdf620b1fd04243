/** What the admin API answers about users and their devices (JSON views; issue #19 item 6). */
import { quotaOfUser } from '../../domain/quota/quota.js';
import type { Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { parseDeviceInfo } from '../../syncml/device-record.js';
import { pushDevicesOf } from '../../domain/accounts/devices.js';

export function userView(u: User, defaultQuota: number | null): Record<string, unknown> {
  const q = quotaOfUser(u, defaultQuota);
  return {
    name: u.name,
    displayName: u.displayName,
    email: u.email,
    admin: u.isAdmin === true,
    directory: u.directory ?? null,
    totp: Boolean(u.totpSecret),
    quota: u.quotaBytes ?? null,
    limit: q.limit,
    used: q.used,
    createdAt: u.createdAt,
  };
}

/** A user's app passwords, SyncML devices and WebDAV-Push subscriptions. */
export async function devicesView(store: Store, user: User): Promise<Record<string, unknown>> {
  const appPasswords = (await store.listAppPasswords(user.id)).map((p) => ({
    id: p.id,
    name: p.name,
    scopes: p.scopes,
    createdAt: p.createdAt,
    lastUsedAt: p.lastUsedAt,
  }));
  const syncml = (await store.listSyncDevices(user.id)).map((d) => {
    const info = parseDeviceInfo(d.info);
    const model = [info.devinf?.man, info.devinf?.mod].filter(Boolean).join(' ');
    return { id: d.deviceId, model: model || null, createdAt: d.createdAt, lastSyncAt: d.lastSyncAt };
  });
  return { appPasswords, syncml, push: await pushDevicesOf(store, user.id) };
}
