/**
 * End of a successful session (DS Protocol §6, package 6; digest §7): anchors and the change-feed
 * position are committed per datastore only now, with the map entries of deleted items.
 */
import type { SyncItemStore, SyncStateStore } from './ports.js';
import type { SessionState } from './session.js';
import { setWithheldItems } from './temp-guids.js';

export async function commitSession(state: SyncStateStore, items: SyncItemStore, s: SessionState): Promise<void> {
  const userId = s.userId;
  if (userId === null) return;
  const now = Date.now();
  for (const ds of Object.values(s.stores)) {
    for (const guid of ds.unmap) await state.deleteMapping(userId, s.deviceId, ds.store.key, guid);
    // Items over the device's MaxObjSize stay pending past this anchor (digest §9).
    if (ds.withheld) await setWithheldItems(state, userId, s.deviceId, ds.store.key, ds.withheld);
    let seq = ds.snapshotSeq;
    if (ds.mode === 202) seq = ds.baseSeq; // one-way from client: server changes still owed
    if (ds.mode === 203) seq = (await items.collection(ds.store.collection))?.seq ?? seq;
    await state.putAnchor({
      userId, deviceId: s.deviceId, datastore: ds.store.key, clientAnchor: ds.clientNext, serverAnchor: ds.serverNext,
      serverSeq: seq, lastMode: ds.mode, lastSyncAt: now,
    });
  }
  const device = await state.getDevice(userId, s.deviceId);
  await state.putDevice({ userId, deviceId: s.deviceId, info: device?.info ?? '{}', createdAt: device?.createdAt ?? now, lastSyncAt: now });
}
