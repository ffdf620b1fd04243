/**
 * End of a successful session (DS Protocol §6, package 6; digest §7): anchors and the change-feed
 * position are committed per datastore only now, with the map entries of deleted items.
 */
import type { SyncItemStore, SyncStateStore, SyncUser } from './ports.js';
import type { DsState, SessionState } from './session.js';
import { serialiseDeviceInfo } from './device-record.js';
import { syncMode } from './sync-modes.js';
import { setWithheldItems } from './temp-guids.js';

/** The change-feed position the datastore's new anchor records (sync-modes.ts). */
async function committedSeq(items: SyncItemStore, user: SyncUser, ds: DsState): Promise<number> {
  switch (syncMode(ds.mode).committedSeq) {
    case 'snapshot':
      return ds.snapshotSeq;
    case 'base':
      return ds.baseSeq; // server changes still owed
    case 'current':
      return (await items.collection(user, ds.store.collection))?.seq ?? ds.snapshotSeq;
  }
}

export async function commitSession(state: SyncStateStore, items: SyncItemStore, s: SessionState): Promise<void> {
  const userId = s.userId;
  if (userId === null) return;
  const user: SyncUser = { id: userId, name: s.userName ?? '' };
  const now = Date.now();
  for (const ds of Object.values(s.stores)) {
    for (const guid of ds.unmap) await state.deleteMapping(userId, s.deviceId, ds.store.key, guid);
    // Items over the device's MaxObjSize stay pending past this anchor (digest §9).
    if (ds.withheld) await setWithheldItems(state, userId, s.deviceId, ds.store.key, ds.withheld);
    const seq = await committedSeq(items, user, ds);
    await state.putAnchor({
      userId,
      deviceId: s.deviceId,
      datastore: ds.store.key,
      clientAnchor: ds.clientNext,
      serverAnchor: ds.serverNext,
      serverSeq: seq,
      lastMode: ds.mode,
      lastSyncAt: now,
    });
  }
  const device = await state.getDevice(userId, s.deviceId);
  await state.putDevice({
    userId,
    deviceId: s.deviceId,
    info: device?.info ?? serialiseDeviceInfo({}),
    createdAt: device?.createdAt ?? now,
    lastSyncAt: now,
  });
}
