import type { SyncAnchor, SyncDevice, SyncIdMapEntry } from '../types.js';

/** SyncML devices, anchors and ID maps (issue #5), read. */
export interface SyncMlStateReader {
  getSyncDevice(userId: number, deviceId: string): Promise<SyncDevice | null>;
  listSyncDevices(userId: number): Promise<SyncDevice[]>;
  listSyncAnchors(userId: number, deviceId: string): Promise<SyncAnchor[]>;
  listSyncIdMap(userId: number, deviceId: string, datastore: string): Promise<SyncIdMapEntry[]>;
}

/** SyncML devices, anchors and ID maps, written (inside a transaction). */
export interface SyncMlStateWriter {
  putSyncDevice(device: SyncDevice): Promise<void>;
  putSyncAnchor(anchor: SyncAnchor): Promise<void>;
  /** Forget a device's anchors (all datastores, or one): its next sync is a slow sync. */
  deleteSyncAnchors(userId: number, deviceId: string, datastore?: string): Promise<void>;
  putSyncIdMap(userId: number, deviceId: string, datastore: string, entry: SyncIdMapEntry): Promise<void>;
  /** Remove one GUID's mapping, or (guid undefined) the whole map of the datastore. */
  deleteSyncIdMap(userId: number, deviceId: string, datastore: string, guid?: string): Promise<void>;
}
