/**
 * The six sync types of a datastore (DS Protocol 1.2 §8 and §10–12; digest §6, §7), one row each.
 * The engine asks a row what to do — where the Alert starts from, what the client's items do, what
 * the server sends back, which change-feed position the session commits — never the alert code.
 */
import { ALERT, type SyncType } from '../formats/syncml/model.js';

export interface SyncMode {
  readonly type: SyncType;
  readonly name: string;
  /** Starts from the stored anchors (the changes since the last session); else all state is dropped first. */
  readonly fromAnchors: boolean;
  /**
   * What the client's Add/Replace/Delete do: `changes` are checked for conflicts against the
   * server's changes since the anchor; `matched` are matched by content against every server
   * item (digest §7); `refused` get 405 (the server alone sends).
   */
  readonly clientItems: 'changes' | 'matched' | 'refused';
  /** A content match with other fields keeps the server's version and sends it back (server wins). */
  readonly matchSendsServerVersion: boolean;
  /** When the client's package is complete, server items it did not send are deleted. */
  readonly deletesUnsent: boolean;
  /** What goes to the device in package 4: the changes since the anchor, every item it lacks, nothing. */
  readonly serverItems: 'changes' | 'all' | 'none';
  /** Items withheld before (over the device's MaxObjSize, digest §9): offered again, still owed, forgotten. */
  readonly withheld: 'offer' | 'keep' | 'drop';
  /**
   * The change-feed position the new anchor records: the snapshot the server's changes came from;
   * the old position (server changes still owed); the collection's current one (all replaced).
   */
  readonly committedSeq: 'snapshot' | 'base' | 'current';
}

const TWO_WAY: SyncMode = {
  type: ALERT.TWO_WAY,
  name: 'two-way',
  fromAnchors: true,
  clientItems: 'changes',
  matchSendsServerVersion: false,
  deletesUnsent: false,
  serverItems: 'changes',
  withheld: 'offer',
  committedSeq: 'snapshot',
};
const SLOW: SyncMode = {
  type: ALERT.SLOW,
  name: 'slow',
  fromAnchors: false,
  clientItems: 'matched',
  matchSendsServerVersion: true,
  deletesUnsent: false,
  serverItems: 'all',
  withheld: 'offer',
  committedSeq: 'snapshot',
};
const ONE_WAY_FROM_CLIENT: SyncMode = {
  type: ALERT.ONE_WAY_FROM_CLIENT,
  name: 'one-way-from-client',
  fromAnchors: true,
  clientItems: 'changes',
  matchSendsServerVersion: false,
  deletesUnsent: false,
  serverItems: 'none',
  withheld: 'keep',
  committedSeq: 'base',
};
const REFRESH_FROM_CLIENT: SyncMode = {
  type: ALERT.REFRESH_FROM_CLIENT,
  name: 'refresh-from-client',
  fromAnchors: false,
  clientItems: 'matched',
  matchSendsServerVersion: false,
  deletesUnsent: true,
  serverItems: 'none',
  withheld: 'drop',
  committedSeq: 'current',
};
const ONE_WAY_FROM_SERVER: SyncMode = {
  type: ALERT.ONE_WAY_FROM_SERVER,
  name: 'one-way-from-server',
  fromAnchors: true,
  clientItems: 'refused',
  matchSendsServerVersion: false,
  deletesUnsent: false,
  serverItems: 'changes',
  withheld: 'offer',
  committedSeq: 'snapshot',
};
const REFRESH_FROM_SERVER: SyncMode = {
  type: ALERT.REFRESH_FROM_SERVER,
  name: 'refresh-from-server',
  fromAnchors: false,
  clientItems: 'refused',
  matchSendsServerVersion: false,
  deletesUnsent: false,
  serverItems: 'all',
  withheld: 'offer',
  committedSeq: 'snapshot',
};

const MODES: Readonly<Record<SyncType, SyncMode>> = {
  [ALERT.TWO_WAY]: TWO_WAY,
  [ALERT.SLOW]: SLOW,
  [ALERT.ONE_WAY_FROM_CLIENT]: ONE_WAY_FROM_CLIENT,
  [ALERT.REFRESH_FROM_CLIENT]: REFRESH_FROM_CLIENT,
  [ALERT.ONE_WAY_FROM_SERVER]: ONE_WAY_FROM_SERVER,
  [ALERT.REFRESH_FROM_SERVER]: REFRESH_FROM_SERVER,
};

/** The rules of a sync type. */
export function syncMode(type: SyncType): SyncMode {
  return MODES[type];
}
