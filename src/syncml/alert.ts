/**
 * Alert (DS Protocol 1.2 §6.1, §8; digest §6, §7). A datastore Alert (200–205, 225 resume)
 * opens a datastore for the session: the sync type asked for is checked against the stored
 * anchors — a type that starts from them falls back to a slow sync with 508 when they do not
 * match or the change history is gone — and a type that starts afresh drops the old state. The
 * server answers with its own Alert and anchors. Control alerts (100, 221–224) are acknowledged.
 */
import type { AlertCmd } from '../formats/syncml/model.js';
import { ALERT, isSyncType, STATUS, type SyncType } from '../formats/syncml/model.js';
import { NS_METINF } from '../formats/wbxml/tables.js';
import { el } from '../formats/wbxml/tree.js';
import { normaliseDbUri, resolveDatastore, type Datastore } from './datastores.js';
import { clientStore, type Ctx } from './engine-context.js';
import { chooseSendType } from './item-format.js';
import type { AnchorRecord } from './ports.js';
import { origin, type DsState } from './session.js';
import { syncMode } from './sync-modes.js';

const CONTROL_ALERTS: readonly number[] = [
  ALERT.DISPLAY,
  ALERT.RESULT_ALERT,
  ALERT.NEXT_MESSAGE,
  ALERT.NO_END_OF_DATA,
  ALERT.SUSPEND,
];

type Refs = { readonly targetRef: string; readonly sourceRef: string };

/** How a datastore starts in this session: the sync type in force and the Alert's status. */
interface Start {
  readonly mode: SyncType;
  readonly code: typeof STATUS.OK | typeof STATUS.REFRESH_REQUIRED;
  /** Guids changed on the server since the anchor by someone else (conflict detection). */
  readonly serverChanged: string[];
}

export async function alert(c: Ctx, a: AlertCmd): Promise<void> {
  if (CONTROL_ALERTS.includes(a.data)) return controlAlert(c, a);
  const item = a.items[0];
  const refs: Refs = { targetRef: item?.target?.locURI ?? '', sourceRef: item?.source?.locURI ?? '' };
  if (!isSyncType(a.data) && a.data !== ALERT.RESUME) {
    c.reply.status(a, STATUS.OPTIONAL_NOT_SUPPORTED, refs);
    return;
  }
  // A resumed session (225) goes on as a two-way sync.
  const requested: SyncType = isSyncType(a.data) ? a.data : ALERT.TWO_WAY;
  const store = await readableDatastore(c, a, refs);
  if (!store) return;
  const saved = (await c.d.state.anchors(c.user.id, c.s.deviceId)).find((x) => x.datastore === store.key);
  const last = item?.meta?.anchor?.last;
  const start = syncMode(requested).fromAnchors
    ? await fromAnchors(c, store, requested, saved, last)
    : fresh(requested);
  // The old state goes now: should this session fail, the next one is slow again.
  if (!syncMode(start.mode).fromAnchors) await dropState(c, store);
  const ds = openDatastore(c, store, refs, start, saved, item?.meta);
  c.reply.status(a, start.code, {
    ...refs,
    items: [{ data: el(NS_METINF, 'Anchor', el(NS_METINF, 'Next', ds.clientNext)) }],
  });
  const serverLast = saved?.serverAnchor && start.mode !== ALERT.SLOW ? { last: saved.serverAnchor } : {};
  c.reply.add<AlertCmd>({
    kind: 'Alert',
    data: start.mode,
    items: [
      {
        target: { locURI: refs.sourceRef },
        source: { locURI: refs.targetRef },
        meta: { anchor: { ...serverLast, next: ds.serverNext } },
      },
    ],
  });
}

/** 100 display, 221 result, 222 next message, 223 no end of data (abandons a chunked object), 224 suspend. */
function controlAlert(c: Ctx, a: AlertCmd): void {
  if (a.data === ALERT.NO_END_OF_DATA) c.s.chunk = null;
  if (!a.noResp)
    c.reply.status(a, STATUS.OK, { targetRef: a.items[0]?.target?.locURI, sourceRef: a.items[0]?.source?.locURI });
}

/**
 * The datastore the Alert names, if it exists and the user may read it (else 404 / 425 sent):
 * their own collection, or one shared with them or granted by an ACL (SyncItemStore).
 */
async function readableDatastore(c: Ctx, a: AlertCmd, refs: Refs): Promise<Datastore | null> {
  const store = resolveDatastore(c.user.name, refs.targetRef, c.device.routes);
  const coll = store ? await c.d.items.collection(c.user, store.collection) : null;
  if (!store || !coll) {
    c.reply.status(a, STATUS.NOT_FOUND, refs);
    return null;
  }
  if (coll.access === 'none') {
    c.reply.status(a, STATUS.PERMISSION_DENIED, refs);
    return null;
  }
  return store;
}

const fresh = (mode: SyncType): Start => ({ mode, code: STATUS.OK, serverChanged: [] });

/**
 * Two-way and one-way syncs go on from the anchors: the client's last anchor must be the one
 * stored and the change history since then still there; else refresh required, slow sync (digest §7).
 */
async function fromAnchors(
  c: Ctx,
  store: Datastore,
  requested: SyncType,
  saved: AnchorRecord | undefined,
  last: string | undefined,
): Promise<Start> {
  const matches = saved !== undefined && saved.clientAnchor === (last ?? null);
  const changes = matches ? await c.d.items.changesSince(c.user, store.collection, saved.serverSeq) : null;
  if (!matches || changes === null) {
    const why = !saved
      ? 'no sync state'
      : changes === null && matches
        ? 'change history compacted'
        : `anchor mismatch (${last} ≠ ${saved.clientAnchor})`;
    c.d.log(`syncml: ${c.s.deviceId} ${store.key}: ${why}: slow sync`);
    return { mode: ALERT.SLOW, code: STATUS.REFRESH_REQUIRED, serverChanged: [] };
  }
  const mine = origin(c.s);
  const serverChanged: string[] = [];
  for (const ch of changes) {
    if (ch.origin !== mine && !serverChanged.includes(ch.name)) serverChanged.push(ch.name);
  }
  return { mode: requested, code: STATUS.OK, serverChanged };
}

/** A sync that starts afresh forgets the datastore's anchors and ID map first. */
async function dropState(c: Ctx, store: Datastore): Promise<void> {
  await c.d.state.deleteAnchors(c.user.id, c.s.deviceId, store.key);
  await c.d.state.deleteMapping(c.user.id, c.s.deviceId, store.key);
  c.maps.delete(store.key);
}

/** The session's state of the datastore, with the wire type and limits from the client's DevInf. */
function openDatastore(
  c: Ctx,
  store: Datastore,
  refs: Refs,
  start: Start,
  saved: AnchorRecord | undefined,
  meta: AlertCmd['items'][number]['meta'],
): DsState {
  const info = clientStore(c, refs.sourceRef);
  const sendType = chooseSendType(store.kind, info?.rxPref, info?.rx ?? [], undefined, c.s.version);
  const caps = info ? Object.values(info.ctCap).flat() : [];
  const ds: DsState = {
    store,
    clientUri: refs.sourceRef,
    serverUri: refs.targetRef,
    mode: start.mode,
    clientNext: meta?.anchor?.next ?? String(Date.now()),
    serverNext: `${Date.now()}`,
    baseSeq: saved?.serverSeq ?? 0,
    snapshotSeq: 0,
    sendType,
    serverChanged: start.serverChanged,
    seen: [],
    resend: [],
    unmap: [],
    clientDone: false,
    ctCap: caps.length > 0 ? caps : null,
    ...(info?.maxGuidSize !== undefined ? { maxGuidSize: info.maxGuidSize } : {}),
    ...(meta?.maxObjSize ? { maxObjSize: meta.maxObjSize } : {}),
  };
  c.s.stores[normaliseDbUri(refs.targetRef)] = ds;
  return ds;
}
