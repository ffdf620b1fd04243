/**
 * DevInf between device and server (DevInf 1.2 §5, RepPro 1.2 §6.6.10 Put, §6.6.7 Get, §6.6.12
 * Results; digest §3, §9, §11): the device's DevInf, whole or in chunks, goes into its record;
 * a Get of ours is answered after the Alerts, so it names the databases the client uses.
 */
import type { PutGetCmd, ResultsCmd } from '../formats/syncml/model.js';
import { DEVINF_WBXML, DEVINF_XML, STATUS } from '../formats/syncml/model.js';
import { assemble, devinfOf } from './chunks.js';
import { serialiseDeviceInfo } from './device-record.js';
import { serverDevInf } from './devinf.js';
import type { Ctx } from './engine-context.js';

/**
 * Largest DevInf accepted, whole or in chunks (digest §9 applies to it as to items): real ones are
 * a few dozen KB (digest §3: 30 kB with CTCap); the device record keeps it.
 */
const MAX_DEVINF_BYTES = 1024 * 1024;

async function saveDevice(c: Ctx): Promise<void> {
  const existing = await c.d.state.getDevice(c.user.id, c.s.deviceId);
  await c.d.state.putDevice({
    userId: c.user.id,
    deviceId: c.s.deviceId,
    info: serialiseDeviceInfo(c.device),
    createdAt: existing?.createdAt ?? Date.now(),
    lastSyncAt: existing?.lastSyncAt ?? null,
  });
}

/** Put or Results carrying the device's DevInf. */
export async function receiveDevInf(c: Ctx, cmd: PutGetCmd | ResultsCmd): Promise<void> {
  const item = cmd.items[0];
  if (!item) {
    c.reply.status(cmd, STATUS.INCOMPLETE);
    return;
  }
  const got = assemble(c.s, `devinf`, item, undefined, MAX_DEVINF_BYTES);
  const refs = { sourceRef: item.source?.locURI };
  if (got.kind === 'partial') {
    c.reply.status(cmd, STATUS.CHUNK_ACCEPTED, refs);
    return;
  }
  if (got.kind === 'error') {
    c.reply.status(cmd, got.status, refs);
    return;
  }
  try {
    c.device.devinf = devinfOf(got.data);
    await saveDevice(c);
    if (!cmd.noResp) c.reply.status(cmd, STATUS.OK, refs);
  } catch (err) {
    c.d.log(`syncml: unreadable DevInf from ${c.s.deviceId}: ${(err as Error).message}`);
    if (!cmd.noResp) c.reply.status(cmd, STATUS.BAD_REQUEST, refs);
  }
}

/** A Get of the server's DevInf (`./devinf10`, `./devinf11`, `./devinf12`): answered later by answerDevinfGet. */
export function getDevInf(c: Ctx, cmd: PutGetCmd): void {
  const target = cmd.items[0]?.target?.locURI ?? '';
  if (!/devinf1[012]$/.test(target)) {
    c.reply.status(cmd, STATUS.NOT_FOUND, { targetRef: target });
    return;
  }
  c.reply.status(cmd, STATUS.OK, { targetRef: target });
  c.devinfGet = { cmdId: cmd.cmdId, target };
}

/** The Results of a Get of our DevInf, naming the databases alerted in this message. */
export function answerDevinfGet(c: Ctx): void {
  if (!c.devinfGet) return;
  const { s, msg } = c;
  const { cmdId, target } = c.devinfGet;
  const names = Object.values(s.stores).map((d) => ({ uri: d.serverUri, kind: d.store.kind }));
  c.reply.add<ResultsCmd>({
    kind: 'Results',
    msgRef: msg.hdr.msgId,
    cmdRef: cmdId,
    meta: { type: s.encoding === 'wbxml' ? DEVINF_WBXML : DEVINF_XML },
    sourceRef: target,
    items: [{ source: { locURI: target }, data: serverDevInf(s.version, s.serverUri, names) }],
  });
}
