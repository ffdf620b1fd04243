/**
 * Server changes (DS Protocol 1.2 §6, package 4; digest §3, §8–10): what the device has not
 * seen, from the change feed (skipping its own `origin`) or, on slow/refresh sync, every item;
 * then packed into messages under the client's MaxMsgSize, splitting large objects (MoreData,
 * Meta Size) and continuing in the next message.
 */
import type { Item, ItemCmd, SyncCmd } from '../formats/syncml/model.js';
import { fromStorage, versionOfType } from './item-format.js';
import type { SyncItemStore, SyncStateStore } from './ports.js';
import type { Reply } from './reply.js';
import type { DsState, OutEntry, OutItem, SessionState } from './session.js';
import { origin } from './sync-apply.js';
import { allocateTempGuid, utf8Length, withheldItems } from './temp-guids.js';

/**
 * Fill `s.outbox` with the server's changes for one datastore. Items larger than the device's
 * MaxObjSize are not sent (it would answer 416) but logged and kept pending in `ds.withheld`,
 * offered again in later sessions (digest §9); Adds of GUIDs longer than the device's
 * MaxGUIDSize carry a short temporary GUID its Map will name (digest §8).
 */
export async function queueServerChanges(
  s: SessionState, ds: DsState, items: SyncItemStore, map: Map<string, string>, state?: SyncStateStore, log?: (line: string) => void,
): Promise<void> {
  const coll = await items.collection(ds.store.collection);
  ds.snapshotSeq = coll?.seq ?? ds.baseSeq;
  const out: OutItem[] = [];
  const kind = ds.store.kind;
  const userId = s.userId ?? 0;
  const limit = ds.maxObjSize ?? s.maxObjSize ?? null;
  const previously = state ? await withheldItems(state, userId, s.deviceId, ds.store.key) : [];
  const withheld: string[] = [];
  const queued = new Set<string>();
  const add = async (op: 'Add' | 'Replace', guid: string, luid?: string): Promise<void> => {
    const r = await items.read(ds.store.collection, guid);
    if (!r || (r.item.component ?? '').toUpperCase() !== ds.store.component) return;
    let data: string;
    try {
      data = fromStorage(kind, r.text, ds.sendType);
    } catch {
      return;
    }
    const size = utf8Length(data);
    if (limit !== null && size > limit) {
      if (!withheld.includes(guid)) withheld.push(guid);
      log?.(`syncml: ${ds.store.collection}/${guid} (${size} bytes) not sent to ${s.deviceId}: larger than its MaxObjSize ${limit}; kept pending`);
      return;
    }
    let sourceUri: string | undefined;
    if (ds.maxGuidSize !== undefined && utf8Length(guid) > ds.maxGuidSize) {
      sourceUri = op === 'Add' && state ? await allocateTempGuid(state, userId, s.deviceId, ds.store.key, guid) : '';
    }
    queued.add(guid);
    out.push({ ds: ds.store.key, op, guid, ...(luid !== undefined ? { luid } : {}), type: ds.sendType, data, ...(sourceUri !== undefined ? { sourceUri } : {}) });
  };
  if (ds.mode === 201 || ds.mode === 205) {
    const seen = new Set(ds.seen);
    for (const it of await items.list(ds.store.collection, ds.store.component)) {
      if (!seen.has(it.name)) await add('Add', it.name);
    }
    for (const guid of ds.resend) {
      const luid = map.get(guid);
      if (luid !== undefined) await add('Replace', guid, luid);
    }
  } else if (ds.mode === 200 || ds.mode === 204) {
    const changes = (await items.changesSince(ds.store.collection, ds.baseSeq)) ?? [];
    const latest = new Map<string, { op: string; origin: string | null }>();
    for (const c of changes) if (c.seq <= ds.snapshotSeq) latest.set(c.name, c);
    const mine = origin(s);
    for (const [guid, c] of latest) {
      if (c.origin === mine && !ds.serverChanged.includes(guid)) continue;
      const luid = map.get(guid);
      if (c.op === 'delete') {
        if (luid !== undefined) {
          out.push({ ds: ds.store.key, op: 'Delete', guid, luid });
          ds.unmap.push(guid);
        }
      } else await add(luid === undefined ? 'Add' : 'Replace', guid, luid);
    }
  }
  if (ds.mode === 202) withheld.push(...previously); // nothing goes to the device this time
  else if (ds.mode !== 203) {
    // Withheld before and not changed since: offered again, the device's limit may have grown.
    for (const guid of previously) {
      if (queued.has(guid) || withheld.includes(guid)) continue;
      const luid = map.get(guid);
      await add(luid === undefined ? 'Add' : 'Replace', guid, luid);
    }
  }
  ds.withheld = withheld;
  s.outbox.push({ sync: { ds: ds.store.key, count: out.length } }, ...out.map((item) => ({ item })));
}

const enc = new TextEncoder();

/** Cut `data` at ≤ `maxBytes` UTF-8 bytes, never inside a character or a CRLF (digest §9). */
export function cutUtf8(data: string, maxBytes: number): number {
  let bytes = 0;
  let i = 0;
  for (const ch of data) {
    const b = ch.codePointAt(0)! < 0x80 ? 1 : enc.encode(ch).byteLength;
    if (bytes + b > maxBytes) break;
    bytes += b;
    i += ch.length;
  }
  if (i > 0 && data[i - 1] === '\r' && data[i] === '\n') i -= 1;
  return i;
}

function itemCommand(e: OutItem, data: string | undefined, first: boolean, more: boolean): Omit<ItemCmd, 'cmdId'> {
  const item: Item = {
    ...(e.op === 'Add' ? { source: { locURI: e.sourceUri || e.guid } } : { target: { locURI: e.luid ?? e.guid } }),
    ...(e.op !== 'Add' && e.op !== 'Delete' && e.sourceUri !== '' ? { source: { locURI: e.sourceUri ?? e.guid } } : {}),
    ...(first && more && e.data !== undefined ? { meta: { size: enc.encode(e.data).byteLength } } : {}),
    ...(data !== undefined ? { data } : {}),
    ...(more ? { moreData: true } : {}),
  };
  return { kind: e.op, ...(e.type ? { meta: { type: e.type, version: versionOfType(e.type) } } : {}), items: [item] };
}

/**
 * Move outbox entries into `reply` while the message stays under `limit` bytes. Returns true
 * when the outbox is empty afterwards.
 */
export function packOutbox(s: SessionState, reply: Reply, limit: number): boolean {
  let size = reply.size();
  const margin = Math.max(200, Math.floor(limit * 0.06));
  let currentSync: { cmd: SyncCmd; ds: string } | null = null;
  const openSync = (ds: DsState, count: number | undefined): SyncCmd => {
    const cmd = reply.add<SyncCmd>({
      kind: 'Sync', target: { locURI: ds.clientUri }, source: { locURI: ds.serverUri }, commands: [],
      ...(count !== undefined ? { numberOfChanges: count } : {}),
    });
    size += reply.commandSize(cmd);
    currentSync = { cmd, ds: ds.store.key };
    return cmd;
  };
  while (s.outbox.length > 0) {
    const entry = s.outbox[0] as OutEntry;
    if ('sync' in entry) {
      const ds = Object.values(s.stores).find((d) => d.store.key === entry.sync.ds);
      if (ds) {
        const probe = 150;
        if (size + probe + margin > limit && reply.commands.length > 0) return false;
        openSync(ds, entry.sync.count);
      }
      s.outbox.shift();
      continue;
    }
    const e = entry.item;
    const ds = Object.values(s.stores).find((d) => d.store.key === e.ds);
    if (!ds) {
      s.outbox.shift();
      continue;
    }
    let sync: SyncCmd = currentSync !== null && (currentSync as { ds: string }).ds === e.ds ? (currentSync as { cmd: SyncCmd }).cmd : openSync(ds, undefined);
    const offset = e.offset ?? 0;
    const rest = e.data === undefined ? undefined : e.data.slice(offset);
    const whole = itemCommand(e, rest, offset === 0, false);
    const wholeSize = reply.commandSize({ ...whole, cmdId: '999' } as ItemCmd) + 10;
    if (size + wholeSize + margin <= limit) {
      (sync.commands as ItemCmd[]).push({ ...whole, cmdId: reply.id() } as ItemCmd);
      size += wholeSize;
      s.outbox.shift();
      continue;
    }
    // Does not fit: split a large object if there is room worth using, else next message.
    const overhead = reply.commandSize({ ...itemCommand(e, '', offset === 0, true), cmdId: '999' } as ItemCmd) + 20;
    const room = limit - size - margin - overhead;
    if (rest !== undefined && room > 300) {
      const cut = cutUtf8(rest, s.encoding === 'xml' ? Math.floor(room * 0.9) : room);
      if (cut > 0 && cut < rest.length) {
        const part = itemCommand(e, rest.slice(0, cut), offset === 0, true);
        (sync.commands as ItemCmd[]).push({ ...part, cmdId: reply.id() } as ItemCmd);
        e.offset = offset + cut;
        return false;
      }
    }
    if (reply.commands.length > 1 || sync.commands.length > 0) return false;
    // Nothing else in the message and still too large: send it anyway (the client will say 413).
    (sync.commands as ItemCmd[]).push({ ...whole, cmdId: reply.id() } as ItemCmd);
    s.outbox.shift();
    sync = sync as SyncCmd;
  }
  return true;
}
