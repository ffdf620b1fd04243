/**
 * The writes a client item comes down to (DS Protocol 1.2 §6 package 3; digest §7, §8): create a
 * server item, update one (field merge from the client's CTCap, UID kept), find the server item
 * a slow-sync item is by content, keep the losing side of a conflict, and the LUID ⇄ GUID map.
 */
import { matchKeys, mergeFromClient, sameContent, withUid } from './item-merge.js';
import { SyncItemError, type SyncItemStore, type SyncStateStore, type SyncUser } from './ports.js';
import { origin, type DsState, type SessionState } from './session.js';
import { STATUS, type StatusCode } from '../formats/syncml/model.js';

export type ConflictPolicy = 'server-wins' | 'client-wins' | 'duplicate';

export interface ApplyContext {
  readonly s: SessionState;
  readonly ds: DsState;
  readonly user: SyncUser;
  readonly items: SyncItemStore;
  readonly state: SyncStateStore;
  readonly policy: ConflictPolicy;
  readonly log: (line: string) => void;
  /** guid → luid of this device's datastore (loaded once per message, kept current). */
  readonly map: Map<string, string>;
}

/** How long the losing side of a conflict is kept (kv namespace `syncml-conflict`). */
const CONFLICT_TTL_MS = 90 * 24 * 3600_000;

export function guidOf(map: Map<string, string>, luid: string): string | undefined {
  for (const [g, l] of map) if (l === luid) return g;
  return undefined;
}

/** Map `guid` to `luid` (a LUID names one GUID: an older GUID of it is unmapped). */
export async function remember(c: ApplyContext, guid: string, luid: string): Promise<void> {
  const old = guidOf(c.map, luid);
  if (old !== undefined && old !== guid) await forget(c, old);
  c.map.set(guid, luid);
  await c.state.putMapping(c.s.userId ?? 0, c.s.deviceId, c.ds.store.key, guid, luid);
}

/** Unmap `guid`. */
export async function forget(c: ApplyContext, guid: string): Promise<void> {
  c.map.delete(guid);
  await c.state.deleteMapping(c.s.userId ?? 0, c.s.deviceId, c.ds.store.key, guid);
}

/** Keep the losing side of a conflict: never silent data loss (issue #5). */
export async function keepLoser(c: ApplyContext, guid: string, text: string): Promise<void> {
  const key = `${c.s.userId}:${c.s.deviceId}:${c.ds.store.key}:${guid}:${Date.now()}`;
  await c.state.setValue('syncml-conflict', key, text, CONFLICT_TTL_MS);
  c.log(
    `syncml: conflict on ${c.ds.store.collection}/${guid} from ${c.s.deviceId}: server version kept, client version saved as syncml-conflict ${key}`,
  );
}

/** Slow/refresh sync: find the server item a client item is (digest §7). */
export async function findMatch(c: ApplyContext, text: string): Promise<{ guid: string; text: string } | null> {
  // Keys in order of strength (a UID before SUMMARY + DTSTART; FN before N): a match on a
  // stronger key wins over an earlier match on a weaker one.
  const keys = matchKeys(c.ds.store.kind, text);
  if (keys.length === 0) return null;
  const seen = new Set(c.ds.seen);
  let best: { rank: number; guid: string; text: string } | null = null;
  for (const it of await c.items.list(c.user, c.ds.store.collection, c.ds.store.component)) {
    if (seen.has(it.name)) continue;
    const r = await c.items.read(c.user, c.ds.store.collection, it.name);
    if (!r) continue;
    const theirs = new Set(matchKeys(c.ds.store.kind, r.text));
    const rank = keys.findIndex((k) => theirs.has(k));
    if (rank === 0) return { guid: it.name, text: r.text };
    if (rank > 0 && (best === null || rank < best.rank)) best = { rank, guid: it.name, text: r.text };
  }
  return best && { guid: best.guid, text: best.text };
}

/** A new server item for the client's `luid` (201). */
export async function create(c: ApplyContext, luid: string, text: string): Promise<StatusCode> {
  const kind = c.ds.store.kind;
  let prepared = withUid(kind, text, null);
  if (kind === 'ical') {
    // The same UID on the server: the client re-sends an item it already has (resend, lost map).
    const existing = await c.items.findByUid(c.user, c.ds.store.collection, prepared.uid);
    if (existing) return update(c, existing.name, luid, text, true);
  }
  let stored;
  try {
    stored = await c.items.put(c.user, c.ds.store.collection, null, prepared.text, origin(c.s));
  } catch (err) {
    if (!(err instanceof SyncItemError) || err.status !== STATUS.ALREADY_EXISTS || kind !== 'vcard') throw err;
    prepared = withUid(kind, text, `${prepared.uid}-${Date.now().toString(36)}`);
    stored = await c.items.put(c.user, c.ds.store.collection, null, prepared.text, origin(c.s));
  }
  c.ds.seen.push(stored.name);
  await remember(c, stored.name, luid);
  return STATUS.ITEM_ADDED;
}

/**
 * An attendee's copy the server merged the client's item into (RFC 6638 §3.2.2.1): when what it
 * kept differs from what the client holds (the client changed the organizer's fields or lost
 * them), the server's version goes back to the client in this session's package 4.
 */
async function resendIfRefused(c: ApplyContext, guid: string, sent: string): Promise<void> {
  const stored = await c.items.read(c.user, c.ds.store.collection, guid);
  if (!stored || sameContent(c.ds.store.kind, stored.text, sent) || c.ds.resend.includes(guid)) return;
  c.ds.resend.push(guid);
  c.log(
    `syncml: ${c.ds.store.collection}/${guid} from ${c.s.deviceId}: attendee's copy kept the organizer's fields; sent back`,
  );
}

/** Replace server item `guid` with the client's version (field merge, UID kept): 201 for an Add, else 200. */
export async function update(
  c: ApplyContext,
  guid: string,
  luid: string,
  text: string,
  added: boolean,
): Promise<StatusCode> {
  const kind = c.ds.store.kind;
  const current = await c.items.read(c.user, c.ds.store.collection, guid);
  if (!current) return create(c, luid, text);
  const merged = mergeFromClient(kind, current.text, text, c.ds.ctCap);
  const prepared = withUid(kind, merged, current.item.uid);
  if (!sameContent(kind, current.text, prepared.text)) {
    const stored = await c.items.put(c.user, c.ds.store.collection, guid, prepared.text, origin(c.s));
    if (stored.merged) await resendIfRefused(c, guid, prepared.text);
  }
  if (!c.ds.seen.includes(guid)) c.ds.seen.push(guid);
  await remember(c, guid, luid);
  return added ? STATUS.ITEM_ADDED : STATUS.OK;
}
