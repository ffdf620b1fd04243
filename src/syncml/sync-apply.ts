/**
 * Client changes (DS Protocol 1.2 §6, package 3; digest §3, §7, §8): Add, Replace and Delete
 * addressed by LUID, applied through the SyncItemStore port with `origin = syncml:<device>`,
 * with the conflict policy (server wins by default) and slow-sync matching by content.
 */
import type { DsState, SessionState } from './session.js';
import { matchKeys, mergeFromClient, sameContent, withUid } from './item-merge.js';
import { toStorage } from './item-format.js';
import { SyncItemError, type SyncItemStore, type SyncStateStore, type SyncUser } from './ports.js';

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

export const origin = (s: SessionState): string => `syncml:${s.deviceId}`;

function guidOf(map: Map<string, string>, luid: string): string | undefined {
  for (const [g, l] of map) if (l === luid) return g;
  return undefined;
}

async function remember(c: ApplyContext, guid: string, luid: string): Promise<void> {
  const old = guidOf(c.map, luid);
  if (old !== undefined && old !== guid) {
    c.map.delete(old);
    await c.state.deleteMapping(c.s.userId ?? 0, c.s.deviceId, c.ds.store.key, old);
  }
  c.map.set(guid, luid);
  await c.state.putMapping(c.s.userId ?? 0, c.s.deviceId, c.ds.store.key, guid, luid);
}

/** Keep the losing side of a conflict: never silent data loss (issue #5). */
async function keepLoser(c: ApplyContext, guid: string, text: string): Promise<void> {
  const key = `${c.s.userId}:${c.s.deviceId}:${c.ds.store.key}:${guid}:${Date.now()}`;
  await c.state.setValue('syncml-conflict', key, text, 90 * 24 * 3600_000);
  c.log(`syncml: conflict on ${c.ds.store.collection}/${guid} from ${c.s.deviceId}: server version kept, client version saved as syncml-conflict ${key}`);
}

/** Slow/refresh sync: find the server item a client item is (digest §7). */
async function findMatch(c: ApplyContext, text: string): Promise<{ guid: string; text: string } | null> {
  // Keys in order of strength (a UID before SUMMARY + DTSTART; FN before N): a match on a
  // stronger key wins over an earlier match on a weaker one.
  const keys = matchKeys(c.ds.store.kind, text);
  if (keys.length === 0) return null;
  const seen = new Set(c.ds.seen);
  let best: { rank: number; guid: string; text: string } | null = null;
  for (const it of await c.items.list(c.ds.store.collection, c.ds.store.component)) {
    if (seen.has(it.name)) continue;
    const r = await c.items.read(c.ds.store.collection, it.name);
    if (!r) continue;
    const theirs = new Set(matchKeys(c.ds.store.kind, r.text));
    const rank = keys.findIndex((k) => theirs.has(k));
    if (rank === 0) return { guid: it.name, text: r.text };
    if (rank > 0 && (best === null || rank < best.rank)) best = { rank, guid: it.name, text: r.text };
  }
  return best && { guid: best.guid, text: best.text };
}

async function create(c: ApplyContext, luid: string, text: string): Promise<number> {
  const kind = c.ds.store.kind;
  let prepared = withUid(kind, text, null);
  if (kind === 'ical') {
    // The same UID on the server: the client re-sends an item it already has (resend, lost map).
    const existing = await c.items.findByUid(c.ds.store.collection, prepared.uid);
    if (existing) return update(c, existing.name, luid, text, true);
  }
  let stored;
  try {
    stored = await c.items.put(c.user, c.ds.store.collection, null, prepared.text, origin(c.s));
  } catch (err) {
    if (!(err instanceof SyncItemError) || err.status !== 418 || kind !== 'vcard') throw err;
    prepared = withUid(kind, text, `${prepared.uid}-${Date.now().toString(36)}`);
    stored = await c.items.put(c.user, c.ds.store.collection, null, prepared.text, origin(c.s));
  }
  c.ds.seen.push(stored.name);
  await remember(c, stored.name, luid);
  return 201;
}

/** Replace server item `guid` with the client's version (field merge, UID kept). */
async function update(c: ApplyContext, guid: string, luid: string, text: string, added: boolean): Promise<number> {
  const kind = c.ds.store.kind;
  const current = await c.items.read(c.ds.store.collection, guid);
  if (!current) return create(c, luid, text);
  const merged = mergeFromClient(kind, current.text, text, c.ds.ctCap);
  const prepared = withUid(kind, merged, current.item.uid);
  if (!sameContent(kind, current.text, prepared.text)) {
    await c.items.put(c.user, c.ds.store.collection, guid, prepared.text, origin(c.s));
  }
  if (!c.ds.seen.includes(guid)) c.ds.seen.push(guid);
  await remember(c, guid, luid);
  return added ? 201 : 200;
}

/** Apply one client item; returns the SyncML status for it. */
export async function applyItem(c: ApplyContext, op: string, luid: string, data: string | undefined): Promise<number> {
  const { ds } = c;
  const kind = ds.store.kind;
  try {
    if (op === 'Delete') {
      const guid = guidOf(c.map, luid);
      if (guid === undefined) return 211;
      if (ds.serverChanged.includes(guid) && c.policy !== 'client-wins') {
        // Server wins over a delete: the client gets the item back as a new Add.
        c.map.delete(guid);
        await c.state.deleteMapping(c.s.userId ?? 0, c.s.deviceId, ds.store.key, guid);
        c.log(`syncml: ${c.s.deviceId} deleted ${guid}, changed on the server meanwhile: kept and sent back`);
        return 419;
      }
      const existed = await c.items.delete(c.user, ds.store.collection, guid, origin(c.s));
      c.map.delete(guid);
      await c.state.deleteMapping(c.s.userId ?? 0, c.s.deviceId, ds.store.key, guid);
      return existed ? 200 : 211;
    }
    if (data === undefined || data.trim() === '') return 412;
    const text = toStorage(kind, data);
    const slow = ds.mode === 201 || ds.mode === 203;
    const known = guidOf(c.map, luid);
    if (known !== undefined) {
      if (!slow && ds.serverChanged.includes(known) && c.policy !== 'client-wins') {
        const current = await c.items.read(ds.store.collection, known);
        if (current && !sameContent(kind, current.text, text)) {
          if (c.policy === 'duplicate') {
            // Both versions live on: the client's as a new item, the server's goes to the client.
            c.map.delete(known);
            await c.state.deleteMapping(c.s.userId ?? 0, c.s.deviceId, ds.store.key, known);
            await create(c, luid, withUid(kind, text, null).text.replace(/^UID:.*$/m, `UID:${crypto.randomUUID()}`));
            return 209;
          }
          await keepLoser(c, known, text);
          return 419;
        }
      }
      return await update(c, known, luid, text, op === 'Add');
    }
    if (slow) {
      const match = await findMatch(c, text);
      if (match) {
        if (ds.mode === 201 && !sameContent(kind, match.text, text) && c.policy === 'server-wins') {
          // Duplicate found by content with different fields: server wins, its version goes back.
          await remember(c, match.guid, luid);
          ds.seen.push(match.guid);
          if (!ds.resend.includes(match.guid)) ds.resend.push(match.guid);
          await keepLoser(c, match.guid, text);
          return op === 'Add' ? 201 : 200;
        }
        return await update(c, match.guid, luid, text, op === 'Add');
      }
    }
    return await create(c, luid, text);
  } catch (err) {
    if (err instanceof SyncItemError) {
      c.log(`syncml: ${op} ${luid} from ${c.s.deviceId} refused: ${err.message}`);
      return err.status;
    }
    c.log(`syncml: ${op} ${luid} from ${c.s.deviceId} failed: ${(err as Error).stack ?? String(err)}`);
    return 500;
  }
}
