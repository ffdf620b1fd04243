/**
 * The server's changes for one datastore (DS Protocol 1.2 §6, package 4; digest §3, §8, §9), by
 * the datastore's sync type (sync-modes.ts): the changes since the anchor from the change feed,
 * skipping the device's own `origin` (two-way, one-way from server); every item the client did
 * not send, and the server's versions that won a slow-sync match (slow, refresh from server);
 * nothing (one-way and refresh from client). Items withheld before are offered again, kept owed
 * or forgotten as the sync type says.
 */
import { fromStorage } from './item-format.js';
import type { SyncItemStore, SyncStateStore, SyncUser } from './ports.js';
import { origin, type DsState, type OutItem, type SessionState } from './session.js';
import { syncMode } from './sync-modes.js';
import { allocateTempGuid, utf8Length, withheldItems } from './temp-guids.js';

/** Collects the items to send of one datastore. */
interface Queue {
  readonly s: SessionState;
  /** Whose view of the collection is sent (a sharee reads through their grants). */
  readonly user: SyncUser;
  readonly ds: DsState;
  readonly items: SyncItemStore;
  readonly state: SyncStateStore | undefined;
  readonly log: ((line: string) => void) | undefined;
  /** The device's MaxObjSize for this datastore, null when it named none. */
  readonly limit: number | null;
  readonly out: OutItem[];
  readonly withheld: string[];
  readonly queued: Set<string>;
}

/**
 * Fill `s.outbox` with the server's changes for one datastore. Items larger than the device's
 * MaxObjSize are not sent (it would answer 416) but logged and kept pending in `ds.withheld`,
 * offered again in later sessions (digest §9); Adds of GUIDs longer than the device's
 * MaxGUIDSize carry a short temporary GUID its Map will name (digest §8).
 */
export async function queueServerChanges(
  s: SessionState,
  user: SyncUser,
  ds: DsState,
  items: SyncItemStore,
  map: Map<string, string>,
  state?: SyncStateStore,
  log?: (line: string) => void,
): Promise<void> {
  const coll = await items.collection(user, ds.store.collection);
  ds.snapshotSeq = coll?.seq ?? ds.baseSeq;
  const previously = state ? await withheldItems(state, s.userId ?? 0, s.deviceId, ds.store.key) : [];
  const q: Queue = {
    s,
    user,
    ds,
    items,
    state,
    log,
    limit: ds.maxObjSize ?? s.maxObjSize ?? null,
    out: [],
    withheld: [],
    queued: new Set(),
  };
  const mode = syncMode(ds.mode);
  if (mode.serverItems === 'all') await queueAll(q, map);
  else if (mode.serverItems === 'changes') await queueChanges(q, map);
  if (mode.withheld === 'keep')
    q.withheld.push(...previously); // nothing goes to the device this time
  else if (mode.withheld === 'offer') await offerWithheld(q, map, previously);
  ds.withheld = q.withheld;
  s.outbox.push({ sync: { ds: ds.store.key, count: q.out.length } }, ...q.out.map((item) => ({ item })));
}

/** Slow sync, refresh from server: every item the client did not send, and the server's versions that won a match. */
async function queueAll(q: Queue, map: Map<string, string>): Promise<void> {
  const seen = new Set(q.ds.seen);
  for (const it of await q.items.list(q.user, q.ds.store.collection, q.ds.store.component)) {
    if (!seen.has(it.name)) await enqueue(q, 'Add', it.name);
  }
  for (const guid of q.ds.resend) {
    const luid = map.get(guid);
    if (luid !== undefined) await enqueue(q, 'Replace', guid, luid);
  }
}

/** Two-way, one-way from server: the latest change of each item since the anchor, up to the snapshot. */
async function queueChanges(q: Queue, map: Map<string, string>): Promise<void> {
  const { ds } = q;
  const changes = (await q.items.changesSince(q.user, ds.store.collection, ds.baseSeq)) ?? [];
  const latest = new Map<string, { op: string; origin: string | null }>();
  for (const c of changes) if (c.seq <= ds.snapshotSeq) latest.set(c.name, c);
  const mine = origin(q.s);
  for (const [guid, c] of latest) {
    if (c.origin === mine && !ds.serverChanged.includes(guid)) continue;
    const luid = map.get(guid);
    if (c.op === 'delete') {
      if (luid !== undefined) {
        q.out.push({ ds: ds.store.key, op: 'Delete', guid, luid });
        ds.unmap.push(guid);
      }
    } else await enqueue(q, luid === undefined ? 'Add' : 'Replace', guid, luid);
  }
  // The server's versions of items the client sent that it did not take whole (item-writes.ts).
  for (const guid of ds.resend) {
    const luid = map.get(guid);
    if (luid !== undefined && !q.queued.has(guid) && latest.get(guid)?.op !== 'delete')
      await enqueue(q, 'Replace', guid, luid);
  }
}

/** Withheld before and not changed since: offered again, the device's limit may have grown. */
async function offerWithheld(q: Queue, map: Map<string, string>, previously: readonly string[]): Promise<void> {
  for (const guid of previously) {
    if (q.queued.has(guid) || q.withheld.includes(guid)) continue;
    const luid = map.get(guid);
    await enqueue(q, luid === undefined ? 'Add' : 'Replace', guid, luid);
  }
}

/** Queue one server item in the client's wire type, or withhold it when it is over the device's MaxObjSize. */
async function enqueue(q: Queue, op: 'Add' | 'Replace', guid: string, luid?: string): Promise<void> {
  const { ds, s } = q;
  const r = await q.items.read(q.user, ds.store.collection, guid);
  if (!r || (r.item.component ?? '').toUpperCase() !== ds.store.component) return;
  let data: string;
  try {
    data = fromStorage(ds.store.kind, r.text, ds.sendType);
  } catch {
    return;
  }
  const size = utf8Length(data);
  if (q.limit !== null && size > q.limit) {
    if (!q.withheld.includes(guid)) q.withheld.push(guid);
    q.log?.(
      `syncml: ${ds.store.collection}/${guid} (${size} bytes) not sent to ${s.deviceId}: larger than its MaxObjSize ${q.limit}; kept pending`,
    );
    return;
  }
  let sourceUri: string | undefined;
  if (ds.maxGuidSize !== undefined && utf8Length(guid) > ds.maxGuidSize) {
    sourceUri =
      op === 'Add' && q.state ? await allocateTempGuid(q.state, s.userId ?? 0, s.deviceId, ds.store.key, guid) : '';
  }
  q.queued.add(guid);
  q.out.push({
    ds: ds.store.key,
    op,
    guid,
    ...(luid !== undefined ? { luid } : {}),
    type: ds.sendType,
    data,
    ...(sourceUri !== undefined ? { sourceUri } : {}),
  });
}
