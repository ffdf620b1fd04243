/** SyncML persistent state (port `SyncStateStore`) over the Store's tables and kv. */
import type { Store, StoreTx } from '../../store/store.js';
import type { AnchorRecord, DeviceRecord, SyncStateStore } from './ports.js';

/** Every kv key of one device's state is written under this area (serialises sessions of a user). */
const LOCK = '/syncml';

export class StoreSyncState implements SyncStateStore {
  constructor(private readonly store: Store) {}

  getDevice(userId: number, deviceId: string): Promise<DeviceRecord | null> {
    return this.store.getSyncDevice(userId, deviceId);
  }
  listDevices(userId: number): Promise<DeviceRecord[]> {
    return this.store.listSyncDevices(userId);
  }
  putDevice(d: DeviceRecord): Promise<void> {
    return this.store.transaction([`${LOCK}/${d.userId}`], (tx) => tx.putSyncDevice(d));
  }
  anchors(userId: number, deviceId: string): Promise<AnchorRecord[]> {
    return this.store.listSyncAnchors(userId, deviceId);
  }
  putAnchor(a: AnchorRecord): Promise<void> {
    return this.store.transaction([`${LOCK}/${a.userId}`], (tx) => tx.putSyncAnchor(a));
  }
  deleteAnchors(userId: number, deviceId: string, datastore?: string): Promise<void> {
    return this.store.transaction([`${LOCK}/${userId}`], (tx) => tx.deleteSyncAnchors(userId, deviceId, datastore));
  }
  async idMap(userId: number, deviceId: string, datastore: string): Promise<Map<string, string>> {
    const rows = await this.store.listSyncIdMap(userId, deviceId, datastore);
    return new Map(rows.map((r) => [r.guid, r.luid]));
  }
  putMapping(userId: number, deviceId: string, datastore: string, guid: string, luid: string): Promise<void> {
    return this.store.transaction([`${LOCK}/${userId}`], (tx) =>
      tx.putSyncIdMap(userId, deviceId, datastore, { guid, luid }),
    );
  }
  deleteMapping(userId: number, deviceId: string, datastore: string, guid?: string): Promise<void> {
    return this.store.transaction([`${LOCK}/${userId}`], (tx) => tx.deleteSyncIdMap(userId, deviceId, datastore, guid));
  }
  getValue(namespace: string, key: string): Promise<string | null> {
    return this.store.getValue(namespace, key, this.store.now());
  }
  setValue(namespace: string, key: string, value: string, ttlMs: number | null): Promise<void> {
    return this.store.transaction([`${LOCK}/kv`], (tx) =>
      tx.setValue(namespace, key, value, ttlMs === null ? null : this.store.now() + ttlMs),
    );
  }
  deleteValue(namespace: string, key: string): Promise<void> {
    return this.store.transaction([`${LOCK}/kv`], (tx) => tx.deleteValue(namespace, key));
  }
}

/**
 * Forget a device's anchors and ID map in the caller's transaction: its next sync of every
 * database is a slow sync (`almanac syncml reset`, `syncml route`, the admin section).
 */
export async function forgetSyncState(tx: StoreTx, userId: number, deviceId: string): Promise<void> {
  for (const a of await tx.listSyncAnchors(userId, deviceId)) await tx.deleteSyncIdMap(userId, deviceId, a.datastore);
  await tx.deleteSyncAnchors(userId, deviceId);
}

/** `forgetSyncState` in a transaction of its own, under the user's SyncML lock. */
export function resetSyncDevice(store: Store, userId: number, deviceId: string): Promise<void> {
  return store.transaction([`${LOCK}/${userId}`], (tx) => forgetSyncState(tx, userId, deviceId));
}
