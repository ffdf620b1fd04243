/**
 * The client's Sync of a datastore (RepPro 1.2 §6.6.14; DS Protocol §6 package 3; digest §3, §9)
 * and its Map (§6.6.8; digest §8). Each item of an Add/Replace/Delete is reassembled from chunks
 * (213 until complete, 413/416 over the server's MaxObjSize, 424 on a size mismatch) and applied
 * by apply-item.ts under the rules of the datastore's sync type (sync-modes.ts).
 */
import type { Item, ItemCmd, MapCmd, SyncCmd } from '../formats/syncml/model.js';
import { STATUS } from '../formats/syncml/model.js';
import { applyItem, type ApplyContext } from './apply-item.js';
import { assemble } from './chunks.js';
import { normaliseDbUri } from './datastores.js';
import { clientStore, mapOf, type Ctx } from './engine-context.js';
import { chooseSendType } from './item-format.js';
import type { DsState } from './session.js';
import { syncMode } from './sync-modes.js';
import { resolveTempGuid } from './temp-guids.js';

const decoder = new TextDecoder();

function dataOf(item: Item): string | undefined {
  const d = item.data;
  if (typeof d === 'string') return d;
  if (d instanceof Uint8Array) return decoder.decode(d);
  return undefined;
}

export async function sync(c: Ctx, cmd: SyncCmd): Promise<void> {
  const { s, reply } = c;
  const target = cmd.target?.locURI ?? '';
  const ds = s.stores[normaliseDbUri(target)];
  if (!ds) {
    reply.status(cmd, STATUS.NOT_FOUND, { targetRef: target, sourceRef: cmd.source?.locURI });
    for (const ic of cmd.commands) reply.status(ic, STATUS.NOT_FOUND, {});
    return;
  }
  reply.status(cmd, STATUS.OK, { targetRef: target, sourceRef: cmd.source?.locURI });
  const map = await mapOf(c, ds.store.key);
  const ctx: ApplyContext = {
    s,
    ds,
    user: c.user,
    items: c.d.items,
    state: c.d.state,
    policy: c.d.policy,
    log: c.d.log,
    map,
  };
  for (const ic of cmd.commands) {
    for (const item of ic.items) await syncItem(c, ctx, ds, ic, item, ic.meta?.type ?? cmd.meta?.type);
  }
}

/** One item of an Add/Replace/Delete in the client's Sync. */
async function syncItem(
  c: Ctx,
  ctx: ApplyContext,
  ds: DsState,
  ic: ItemCmd,
  item: Item,
  type: string | undefined,
): Promise<void> {
  const luid = item.source?.locURI ?? item.target?.locURI ?? '';
  const refs = { sourceRef: item.source?.locURI, targetRef: item.target?.locURI };
  if (syncMode(ds.mode).clientItems === 'refused') {
    if (!ic.noResp) c.reply.status(ic, STATUS.NOT_ALLOWED, refs);
    return;
  }
  let data: string | undefined;
  if (ic.kind !== 'Delete') {
    const got = assemble(c.s, `${ds.store.key}|${luid}`, item, ic.meta?.size, c.d.maxObjSize);
    if (got.kind === 'partial') {
      c.reply.status(ic, STATUS.CHUNK_ACCEPTED, refs);
      return;
    }
    if (got.kind === 'error') {
      if (got.status === STATUS.TOO_LARGE || got.status === STATUS.SIZE_TOO_BIG) {
        c.d.log(
          `syncml: ${ic.kind} ${luid} from ${c.s.deviceId} refused with ${got.status}: larger than the server's MaxObjSize ${c.d.maxObjSize}`,
        );
      }
      c.reply.status(ic, got.status, refs);
      return;
    }
    data =
      typeof got.data === 'string'
        ? got.data
        : got.data instanceof Uint8Array
          ? decoder.decode(got.data)
          : dataOf(item);
  }
  // No DevInf (too big to send, or none): answer in the format the client writes in.
  if (type && !clientStore(c, ds.clientUri)?.rxPref)
    ds.sendType = chooseSendType(ds.store.kind, undefined, [], type.toLowerCase(), c.s.version);
  const code =
    ic.kind === 'Add' || ic.kind === 'Replace' || ic.kind === 'Delete'
      ? await applyItem(ctx, ic.kind, luid, data)
      : STATUS.NOT_IMPLEMENTED;
  if (!ic.noResp) c.reply.status(ic, code, refs);
}

export async function map(c: Ctx, m: MapCmd): Promise<void> {
  const ds = c.s.stores[normaliseDbUri(m.target.locURI)];
  const refs = { targetRef: m.target.locURI, sourceRef: m.source.locURI };
  if (!ds) {
    c.reply.status(m, STATUS.NOT_FOUND, refs);
    return;
  }
  const current = await mapOf(c, ds.store.key);
  for (const mi of m.mapItems) {
    // A short temporary GUID we sent on Add (MaxGUIDSize) stands for the real one (digest §8).
    const guid = (await resolveTempGuid(c.d.state, c.user.id, c.s.deviceId, ds.store.key, mi.target)) ?? mi.target;
    // Idempotent: a Map resent in a later session maps the same pair again (digest §8).
    current.set(guid, mi.source);
    await c.d.state.putMapping(c.user.id, c.s.deviceId, ds.store.key, guid, mi.source);
  }
  if (!m.noResp) c.reply.status(m, STATUS.OK, refs);
}
