/**
 * The client's commands, one handler each (RepPro 1.2 §6; digest §3, §5, §6): Alert (sync
 * type, anchors → 508 + slow sync only when state is lost), Put/Get/Results (DevInf), Sync with
 * Add/Replace/Delete (large objects: 213, 424), Map, Status; anything else 501.
 */
import type { AlertCmd, Command, Item, MapCmd, PutGetCmd, ResultsCmd, StatusCmd, SyncCmd, SyncmlMessage } from '../formats/syncml/model.js';
import { DEVINF_WBXML, DEVINF_XML } from '../formats/syncml/model.js';
import { NS_METINF } from '../formats/wbxml/tables.js';
import { el } from '../formats/wbxml/tree.js';
import { assemble, devinfOf } from './chunks.js';
import { normaliseDbUri, resolveDatastore, type Routes } from './datastores.js';
import { serverDevInf } from './devinf.js';
import { chooseSendType } from './item-format.js';
import type { SyncItemStore, SyncStateStore, SyncUser } from './ports.js';
import type { Reply } from './reply.js';
import type { DsState, SessionState } from './session.js';
import { applyItem, origin, type ConflictPolicy } from './sync-apply.js';
import { resolveTempGuid } from './temp-guids.js';
import type { DevInf } from '../formats/syncml/devinf.js';

export interface EngineDeps {
  readonly items: SyncItemStore;
  readonly state: SyncStateStore;
  readonly policy: ConflictPolicy;
  readonly log: (line: string) => void;
  /** The largest object the server takes (its MaxObjSize, digest §9). */
  readonly maxObjSize: number;
}

/**
 * Largest DevInf accepted, whole or in chunks (digest §9 applies to it as to items): real ones are
 * a few dozen KB (digest §3: 30 kB with CTCap); the device record keeps it.
 */
const MAX_DEVINF_BYTES = 1024 * 1024;

export interface DeviceInfo {
  devinf?: DevInf;
  routes?: Routes;
}

interface Ctx {
  readonly d: EngineDeps;
  readonly s: SessionState;
  readonly user: SyncUser;
  readonly msg: SyncmlMessage;
  readonly reply: Reply;
  readonly device: DeviceInfo;
  readonly maps: Map<string, Map<string, string>>;
  /** A Get of our DevInf, answered after the Alerts so it names the databases the client uses. */
  devinfGet?: { cmdId: string; target: string };
}

export async function handleCommands(d: EngineDeps, s: SessionState, user: SyncUser, msg: SyncmlMessage, reply: Reply): Promise<void> {
  const record = await d.state.getDevice(user.id, s.deviceId);
  const device = record ? (JSON.parse(record.info) as DeviceInfo) : {};
  const c: Ctx = { d, s, user, msg, reply, device, maps: new Map() };
  for (const cmd of msg.commands) await command(c, cmd);
  if (c.devinfGet) {
    const { cmdId, target } = c.devinfGet;
    const names = Object.values(s.stores).map((d) => ({ uri: d.serverUri, kind: d.store.kind }));
    c.reply.add<ResultsCmd>({
      kind: 'Results', msgRef: msg.hdr.msgId, cmdRef: cmdId,
      meta: { type: s.encoding === 'wbxml' ? DEVINF_WBXML : DEVINF_XML }, sourceRef: target,
      items: [{ source: { locURI: target }, data: serverDevInf(s.version, s.serverUri, names) }],
    });
  }
}

async function command(c: Ctx, cmd: Command): Promise<void> {
  switch (cmd.kind) {
    case 'Status': return status(c, cmd);
    case 'Alert': return alert(c, cmd);
    case 'Put': return putDevInf(c, cmd);
    case 'Get': return getDevInf(c, cmd);
    case 'Results': return results(c, cmd);
    case 'Sync': return sync(c, cmd);
    case 'Map': return map(c, cmd);
    case 'Atomic': case 'Sequence':
      if (!cmd.noResp) c.reply.status(cmd, 200);
      for (const inner of cmd.commands) await command(c, inner);
      return;
    case 'Other':
      if (!cmd.noResp) c.reply.status(cmd, 501);
      return;
    default:
      // Add/Replace/Delete outside a Sync: not allowed (RepPro §6.6.1).
      if (!cmd.noResp) c.reply.status(cmd, 405);
  }
}

function status(c: Ctx, st: StatusCmd): void {
  if (st.data >= 300 && st.cmd !== 'SyncHdr' && st.data !== 419) {
    c.d.log(`syncml: ${c.s.deviceId} answered ${st.data} to ${st.cmd} ${st.cmdRef} (${[...st.targetRefs, ...st.sourceRefs].join(' ')})`);
  }
}

async function saveDevice(c: Ctx): Promise<void> {
  const existing = await c.d.state.getDevice(c.user.id, c.s.deviceId);
  await c.d.state.putDevice({
    userId: c.user.id, deviceId: c.s.deviceId, info: JSON.stringify(c.device),
    createdAt: existing?.createdAt ?? Date.now(), lastSyncAt: existing?.lastSyncAt ?? null,
  });
}

async function receiveDevInf(c: Ctx, cmd: PutGetCmd | ResultsCmd): Promise<void> {
  const item = cmd.items[0];
  if (!item) {
    c.reply.status(cmd, 412);
    return;
  }
  const got = assemble(c.s, `devinf`, item, undefined, MAX_DEVINF_BYTES);
  const refs = { sourceRef: item.source?.locURI };
  if (got.kind === 'partial') {
    c.reply.status(cmd, 213, refs);
    return;
  }
  if (got.kind === 'error') {
    c.reply.status(cmd, got.status, refs);
    return;
  }
  try {
    c.device.devinf = devinfOf(got.data);
    await saveDevice(c);
    if (!cmd.noResp) c.reply.status(cmd, 200, refs);
  } catch (err) {
    c.d.log(`syncml: unreadable DevInf from ${c.s.deviceId}: ${(err as Error).message}`);
    if (!cmd.noResp) c.reply.status(cmd, 400, refs);
  }
}

const putDevInf = (c: Ctx, cmd: PutGetCmd): Promise<void> => receiveDevInf(c, cmd);
const results = (c: Ctx, cmd: ResultsCmd): Promise<void> => receiveDevInf(c, cmd);

function getDevInf(c: Ctx, cmd: PutGetCmd): void {
  const target = cmd.items[0]?.target?.locURI ?? '';
  if (!/devinf1[012]$/.test(target)) {
    c.reply.status(cmd, 404, { targetRef: target });
    return;
  }
  c.reply.status(cmd, 200, { targetRef: target });
  c.devinfGet = { cmdId: cmd.cmdId, target };
}

async function mapOf(c: Ctx, key: string): Promise<Map<string, string>> {
  let m = c.maps.get(key);
  if (!m) {
    m = await c.d.state.idMap(c.user.id, c.s.deviceId, key);
    c.maps.set(key, m);
  }
  return m;
}

function clientStore(c: Ctx, clientUri: string) {
  const want = normaliseDbUri(clientUri);
  return c.device.devinf?.dataStores.find((d) => normaliseDbUri(d.sourceRef) === want);
}

/** Alert 200–205 for a datastore (DS Protocol §6.1; digest §6, §7). */
async function alert(c: Ctx, a: AlertCmd): Promise<void> {
  const { s, reply } = c;
  if (a.data === 222 || a.data === 223 || a.data === 224 || a.data === 221 || a.data === 100) {
    if (a.data === 223) s.chunk = null;
    if (!a.noResp) reply.status(a, 200, { targetRef: a.items[0]?.target?.locURI, sourceRef: a.items[0]?.source?.locURI });
    return;
  }
  const item = a.items[0];
  const target = item?.target?.locURI ?? '';
  const source = item?.source?.locURI ?? '';
  const refs = { targetRef: target, sourceRef: source };
  if (a.data < 200 || a.data > 205) {
    if (a.data !== 225) {
      reply.status(a, 406, refs);
      return;
    }
  }
  const store = resolveDatastore(c.user.name, target, c.device.routes);
  const coll = store ? await c.d.items.collection(store.collection) : null;
  if (!store || !coll) {
    reply.status(a, 404, refs);
    return;
  }
  if (coll.ownerId !== c.user.id) {
    reply.status(a, 425, refs);
    return;
  }
  const anchors = await c.d.state.anchors(c.user.id, s.deviceId);
  const saved = anchors.find((x) => x.datastore === store.key);
  const last = item?.meta?.anchor?.last;
  const next = item?.meta?.anchor?.next ?? String(Date.now());
  let mode = a.data === 225 ? 200 : a.data;
  let code = 200;
  const serverChanged: string[] = [];
  if (mode === 200 || mode === 202 || mode === 204) {
    const changes = saved && saved.clientAnchor === (last ?? null) ? await c.d.items.changesSince(store.collection, saved.serverSeq) : null;
    if (!saved || saved.clientAnchor !== (last ?? null) || changes === null) {
      // Anchors don't match or history is gone: refresh required, slow sync (digest §7).
      c.d.log(`syncml: ${s.deviceId} ${store.key}: ${!saved ? 'no sync state' : changes === null ? 'change history compacted' : `anchor mismatch (${last} ≠ ${saved.clientAnchor})`}: slow sync`);
      mode = 201;
      code = 508;
    } else {
      for (const ch of changes) {
        if (ch.origin !== origin(s) && !serverChanged.includes(ch.name)) serverChanged.push(ch.name);
      }
    }
  }
  if (mode === 201 || mode === 203 || mode === 205) {
    // The old state goes now: should this session fail, the next one is slow again.
    await c.d.state.deleteAnchors(c.user.id, s.deviceId, store.key);
    await c.d.state.deleteMapping(c.user.id, s.deviceId, store.key);
    c.maps.delete(store.key);
  }
  const info = clientStore(c, source);
  const sendType = chooseSendType(store.kind, info?.rxPref, info?.rx ?? [], undefined, s.version);
  const caps = info ? Object.values(info.ctCap).flat() : [];
  const ds: DsState = {
    store, clientUri: source, serverUri: target, mode, clientNext: next, serverNext: `${Date.now()}`,
    baseSeq: saved?.serverSeq ?? 0, snapshotSeq: 0, sendType, serverChanged, seen: [], resend: [], unmap: [],
    clientDone: false, ctCap: caps.length > 0 ? caps : null,
    ...(info?.maxGuidSize !== undefined ? { maxGuidSize: info.maxGuidSize } : {}),
    ...(item?.meta?.maxObjSize ? { maxObjSize: item.meta.maxObjSize } : {}),
  };
  s.stores[normaliseDbUri(target)] = ds;
  reply.status(a, code, { ...refs, items: [{ data: el(NS_METINF, 'Anchor', el(NS_METINF, 'Next', next)) }] });
  reply.add<AlertCmd>({
    kind: 'Alert', data: mode,
    items: [{ target: { locURI: source }, source: { locURI: target }, meta: { anchor: { ...(saved?.serverAnchor && mode !== 201 ? { last: saved.serverAnchor } : {}), next: ds.serverNext } } }],
  });
}

function dataOf(item: Item): string | undefined {
  const d = item.data;
  if (d === undefined) return undefined;
  if (typeof d === 'string') return d;
  if (d instanceof Uint8Array) return new TextDecoder().decode(d);
  return undefined;
}

async function sync(c: Ctx, cmd: SyncCmd): Promise<void> {
  const { s, reply } = c;
  const target = cmd.target?.locURI ?? '';
  const refs = { targetRef: target, sourceRef: cmd.source?.locURI };
  const ds = s.stores[normaliseDbUri(target)];
  if (!ds) {
    reply.status(cmd, 404, refs);
    for (const ic of cmd.commands) reply.status(ic, 404, {});
    return;
  }
  reply.status(cmd, 200, refs);
  const map = await mapOf(c, ds.store.key);
  const ctx = { s, ds, user: c.user, items: c.d.items, state: c.d.state, policy: c.d.policy, log: c.d.log, map };
  for (const ic of cmd.commands) {
    const type = ic.meta?.type ?? cmd.meta?.type;
    for (const item of ic.items) {
      const luid = item.source?.locURI ?? item.target?.locURI ?? '';
      const irefs = { sourceRef: item.source?.locURI, targetRef: item.target?.locURI };
      if (ds.mode === 204 || ds.mode === 205) {
        if (!ic.noResp) reply.status(ic, 405, irefs);
        continue;
      }
      let data: string | undefined;
      if (ic.kind !== 'Delete') {
        const got = assemble(s, `${ds.store.key}|${luid}`, item, ic.meta?.size, c.d.maxObjSize);
        if (got.kind === 'partial') {
          reply.status(ic, 213, irefs);
          continue;
        }
        if (got.kind === 'error') {
          if (got.status === 413 || got.status === 416) {
            c.d.log(`syncml: ${ic.kind} ${luid} from ${s.deviceId} refused with ${got.status}: larger than the server's MaxObjSize ${c.d.maxObjSize}`);
          }
          reply.status(ic, got.status, irefs);
          continue;
        }
        data = typeof got.data === 'string' ? got.data : got.data instanceof Uint8Array ? new TextDecoder().decode(got.data) : dataOf(item);
      }
      // No DevInf (too big to send, or none): answer in the format the client writes in.
      if (type && !clientStore(c, ds.clientUri)?.rxPref) ds.sendType = chooseSendType(ds.store.kind, undefined, [], type.toLowerCase(), s.version);
      const code = ic.kind === 'Add' || ic.kind === 'Replace' || ic.kind === 'Delete'
        ? await applyItem(ctx, ic.kind, luid, data)
        : 501;
      if (!ic.noResp) reply.status(ic, code, irefs);
    }
  }
}

async function map(c: Ctx, m: MapCmd): Promise<void> {
  const ds = c.s.stores[normaliseDbUri(m.target.locURI)];
  const refs = { targetRef: m.target.locURI, sourceRef: m.source.locURI };
  if (!ds) {
    c.reply.status(m, 404, refs);
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
  if (!m.noResp) c.reply.status(m, 200, refs);
}
