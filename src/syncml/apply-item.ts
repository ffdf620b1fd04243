/**
 * One client item (DS Protocol 1.2 §6, package 3; digest §3, §7, §8): Add, Replace and Delete
 * addressed by LUID, applied through the SyncItemStore port with `origin = syncml:<device>`.
 * The datastore's sync type (sync-modes.ts) decides: two-way and one-way from client check a
 * known item against the server's changes (conflict policy, server wins by default); slow and
 * refresh from client match an unknown item by content against every server item.
 */
import { STATUS, type StatusCode } from '../formats/syncml/model.js';
import { sameContent, withUid } from './item-merge.js';
import { toStorage } from './item-format.js';
import { create, findMatch, forget, guidOf, keepLoser, remember, update, type ApplyContext } from './item-writes.js';
import { SyncItemError } from './ports.js';
import { origin } from './session.js';
import { syncMode } from './sync-modes.js';

export type { ApplyContext, ConflictPolicy } from './item-writes.js';

/** Apply one client item; returns the SyncML status for it. */
export async function applyItem(
  c: ApplyContext,
  op: 'Add' | 'Replace' | 'Delete',
  luid: string,
  data: string | undefined,
): Promise<StatusCode> {
  try {
    if (op === 'Delete') return await applyDelete(c, luid);
    if (data === undefined || data.trim() === '') return STATUS.INCOMPLETE;
    const text = toStorage(c.ds.store.kind, data);
    const known = guidOf(c.map, luid);
    const matched = syncMode(c.ds.mode).clientItems === 'matched';
    if (known !== undefined)
      return matched ? await update(c, known, luid, text, op === 'Add') : await applyChange(c, known, luid, text, op);
    if (matched) return await applyMatched(c, luid, text, op);
    return await create(c, luid, text);
  } catch (err) {
    if (err instanceof SyncItemError) {
      c.log(`syncml: ${op} ${luid} from ${c.s.deviceId} refused: ${err.message}`);
      return err.status;
    }
    c.log(`syncml: ${op} ${luid} from ${c.s.deviceId} failed: ${(err as Error).stack ?? String(err)}`);
    return STATUS.COMMAND_FAILED;
  }
}

/** Delete: 211 for an item the server does not have; 419 when the server changed it meanwhile. */
async function applyDelete(c: ApplyContext, luid: string): Promise<StatusCode> {
  const guid = guidOf(c.map, luid);
  if (guid === undefined) return STATUS.NOT_DELETED;
  if (c.ds.serverChanged.includes(guid) && c.policy !== 'client-wins') {
    // Server wins over a delete: the client gets the item back as a new Add.
    await forget(c, guid);
    c.log(`syncml: ${c.s.deviceId} deleted ${guid}, changed on the server meanwhile: kept and sent back`);
    return STATUS.CONFLICT_SERVER_WON;
  }
  const existed = await c.items.delete(c.user, c.ds.store.collection, guid, origin(c.s));
  await forget(c, guid);
  return existed ? STATUS.OK : STATUS.NOT_DELETED;
}

/**
 * Two-way / one-way from client: a change of an item the server changed too since the anchor
 * is a conflict, settled by the policy (digest §7).
 */
async function applyChange(
  c: ApplyContext,
  guid: string,
  luid: string,
  text: string,
  op: 'Add' | 'Replace',
): Promise<StatusCode> {
  const kind = c.ds.store.kind;
  if (c.ds.serverChanged.includes(guid) && c.policy !== 'client-wins') {
    const current = await c.items.read(c.user, c.ds.store.collection, guid);
    if (current && !sameContent(kind, current.text, text)) {
      if (c.policy === 'duplicate') {
        // Both versions live on: the client's as a new item, the server's goes to the client.
        await forget(c, guid);
        await create(c, luid, withUid(kind, text, null).text.replace(/^UID:.*$/m, `UID:${crypto.randomUUID()}`));
        return STATUS.CONFLICT_DUPLICATE;
      }
      await keepLoser(c, guid, text);
      return STATUS.CONFLICT_SERVER_WON;
    }
  }
  return update(c, guid, luid, text, op === 'Add');
}

/**
 * Slow / refresh from client: an item the server may already have under another GUID is found
 * by content (digest §7). On a slow sync with server wins, a match with other fields keeps the
 * server's version, which goes back to the client.
 */
async function applyMatched(c: ApplyContext, luid: string, text: string, op: 'Add' | 'Replace'): Promise<StatusCode> {
  const match = await findMatch(c, text);
  if (!match) return create(c, luid, text);
  const { ds } = c;
  if (
    syncMode(ds.mode).matchSendsServerVersion &&
    !sameContent(ds.store.kind, match.text, text) &&
    c.policy === 'server-wins'
  ) {
    await remember(c, match.guid, luid);
    ds.seen.push(match.guid);
    if (!ds.resend.includes(match.guid)) ds.resend.push(match.guid);
    await keepLoser(c, match.guid, text);
    return op === 'Add' ? STATUS.ITEM_ADDED : STATUS.OK;
  }
  return update(c, match.guid, luid, text, op === 'Add');
}
