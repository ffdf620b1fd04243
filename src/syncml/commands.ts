/**
 * The client's commands, one handler each (RepPro 1.2 §6; digest §3, §5, §6): Alert (alert.ts),
 * Put/Get/Results (DevInf, devinf-exchange.ts), Sync and Map (sync-command.ts), Status; a
 * command the server does not implement gets 501.
 */
import type { Command, StatusCmd, SyncmlMessage } from '../formats/syncml/model.js';
import { isFailureStatus, STATUS } from '../formats/syncml/model.js';
import { alert } from './alert.js';
import { readDeviceInfo } from './device-record.js';
import { answerDevinfGet, getDevInf, receiveDevInf } from './devinf-exchange.js';
import type { Ctx, EngineDeps } from './engine-context.js';
import type { SyncUser } from './ports.js';
import type { Reply } from './reply.js';
import type { SessionState } from './session.js';
import { map, sync } from './sync-command.js';

export type { EngineDeps } from './engine-context.js';

export async function handleCommands(
  d: EngineDeps,
  s: SessionState,
  user: SyncUser,
  msg: SyncmlMessage,
  reply: Reply,
): Promise<void> {
  const record = await d.state.getDevice(user.id, s.deviceId);
  const device = readDeviceInfo(record, d.log);
  const c: Ctx = { d, s, user, msg, reply, device, maps: new Map() };
  for (const cmd of msg.commands) await command(c, cmd);
  answerDevinfGet(c);
}

async function command(c: Ctx, cmd: Command): Promise<void> {
  switch (cmd.kind) {
    case 'Status':
      return status(c, cmd);
    case 'Alert':
      return alert(c, cmd);
    case 'Put':
    case 'Results':
      return receiveDevInf(c, cmd);
    case 'Get':
      return getDevInf(c, cmd);
    case 'Sync':
      return sync(c, cmd);
    case 'Map':
      return map(c, cmd);
    case 'Atomic':
    case 'Sequence':
      if (!cmd.noResp) c.reply.status(cmd, STATUS.OK);
      for (const inner of cmd.commands) await command(c, inner);
      return;
    case 'Other':
      if (!cmd.noResp) c.reply.status(cmd, STATUS.NOT_IMPLEMENTED);
      return;
    default:
      // Add/Replace/Delete outside a Sync: not allowed (RepPro §6.6.1).
      if (!cmd.noResp) c.reply.status(cmd, STATUS.NOT_ALLOWED);
  }
}

/** The client's Statuses: failures are logged (a 419 is the conflict rule at work, not a failure). */
function status(c: Ctx, st: StatusCmd): void {
  if (isFailureStatus(st.data) && st.cmd !== 'SyncHdr' && st.data !== STATUS.CONFLICT_SERVER_WON) {
    c.d.log(
      `syncml: ${c.s.deviceId} answered ${st.data} to ${st.cmd} ${st.cmdRef} (${[...st.targetRefs, ...st.sourceRefs].join(' ')})`,
    );
  }
}
