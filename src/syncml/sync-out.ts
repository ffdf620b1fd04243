/**
 * The server's package 4 (DS Protocol 1.2 §6; digest §9–10): the outbox server-changes.ts filled,
 * packed into messages under the client's MaxMsgSize, splitting large objects (MoreData, Meta
 * Size) and continuing in the next message.
 */
import type { Item, ItemCmd, SyncCmd } from '../formats/syncml/model.js';
import { versionOfType } from './item-format.js';
import type { Reply } from './reply.js';
import type { DsState, OutEntry, OutItem, SessionState } from './session.js';

const enc = new TextEncoder();

/** Bytes kept free under MaxMsgSize for what the estimate misses: at least this, or 6 % of the limit. */
const MIN_MARGIN_BYTES = 200;
/** Room an opened Sync (with Target, Source, NumberOfChanges) takes, estimated. */
const SYNC_OPEN_BYTES = 150;
/** A chunk of a large object smaller than this waits for the next message instead. */
const MIN_CHUNK_ROOM_BYTES = 300;

/** Cut `data` at ≤ `maxBytes` UTF-8 bytes, never inside a character or a CRLF (digest §9). */
function cutUtf8(data: string, maxBytes: number): number {
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
  const margin = Math.max(MIN_MARGIN_BYTES, Math.floor(limit * 0.06));
  let currentSync: { cmd: SyncCmd; ds: string } | null = null;
  const openSync = (ds: DsState, count: number | undefined): SyncCmd => {
    const cmd = reply.add<SyncCmd>({
      kind: 'Sync',
      target: { locURI: ds.clientUri },
      source: { locURI: ds.serverUri },
      commands: [],
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
        if (size + SYNC_OPEN_BYTES + margin > limit && reply.commands.length > 0) return false;
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
    const sync: SyncCmd =
      currentSync !== null && (currentSync as { ds: string }).ds === e.ds
        ? (currentSync as { cmd: SyncCmd }).cmd
        : openSync(ds, undefined);
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
    if (rest !== undefined && room > MIN_CHUNK_ROOM_BYTES) {
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
  }
  return true;
}
