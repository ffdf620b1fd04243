/**
 * Server-side state for items the device cannot take as they are (digest §8, §9), kept in the
 * store's kv (never only in memory, so any node and any later session sees it):
 * - temporary GUIDs: when the device's DevInf MaxGUIDSize is smaller than a server GUID, the Add
 *   carries a short temporary GUID; the device's Map names it, and resolves to the real GUID.
 * - withheld items: larger than the device's MaxObjSize; not sent (RepPro 416 would follow),
 *   remembered, and offered again in every later session until the device takes them.
 */
import type { SyncStateStore } from './ports.js';

const NS_TEMP_GUID = 'syncml-temp-guid';
const NS_TEMP_GUID_SEQ = 'syncml-temp-guid-seq';
const NS_WITHHELD = 'syncml-withheld';
/** A Map may come in a later session (digest §8); keep temporary GUIDs that long. */
const TEMP_GUID_TTL_MS = 90 * 24 * 3600_000;
const WITHHELD_TTL_MS = 365 * 24 * 3600_000;
/** Temporary GUIDs start with this, which no server member name does. */
const TEMP_PREFIX = '~';

/**
 * The kv key of one device datastore. JSON, not NUL-separated parts: PostgreSQL text cannot hold
 * a NUL byte (SQLSTATE 22021), which failed every SyncML sync on PostgreSQL with a 500.
 */
const dsKey = (userId: number, deviceId: string, datastore: string): string =>
  JSON.stringify([userId, deviceId, datastore]);

export const utf8Length = (s: string): number => new TextEncoder().encode(s).byteLength;

/** A new temporary GUID for `guid`, persisted before it is sent. */
export async function allocateTempGuid(
  state: SyncStateStore,
  userId: number,
  deviceId: string,
  datastore: string,
  guid: string,
): Promise<string> {
  const key = dsKey(userId, deviceId, datastore);
  const n = Number((await state.getValue(NS_TEMP_GUID_SEQ, key)) ?? '0') + 1;
  await state.setValue(NS_TEMP_GUID_SEQ, key, String(n), null);
  const temp = `${TEMP_PREFIX}${n.toString(36)}`;
  await state.setValue(NS_TEMP_GUID, JSON.stringify([key, temp]), guid, TEMP_GUID_TTL_MS);
  return temp;
}

/** The real GUID a temporary one stands for (the entry is kept: a Map may be resent). */
export async function resolveTempGuid(
  state: SyncStateStore,
  userId: number,
  deviceId: string,
  datastore: string,
  temp: string,
): Promise<string | null> {
  if (!temp.startsWith(TEMP_PREFIX)) return null;
  return state.getValue(NS_TEMP_GUID, JSON.stringify([dsKey(userId, deviceId, datastore), temp]));
}

export async function withheldItems(
  state: SyncStateStore,
  userId: number,
  deviceId: string,
  datastore: string,
): Promise<string[]> {
  const raw = await state.getValue(NS_WITHHELD, dsKey(userId, deviceId, datastore));
  return raw ? (JSON.parse(raw) as string[]) : [];
}

export async function setWithheldItems(
  state: SyncStateStore,
  userId: number,
  deviceId: string,
  datastore: string,
  guids: readonly string[],
): Promise<void> {
  const key = dsKey(userId, deviceId, datastore);
  if (guids.length === 0) await state.deleteValue(NS_WITHHELD, key);
  else await state.setValue(NS_WITHHELD, key, JSON.stringify([...new Set(guids)]), WITHHELD_TTL_MS);
}
