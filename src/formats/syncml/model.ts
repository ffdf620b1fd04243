/**
 * Typed SyncML messages (OMA-TS-SyncML-RepPro-V1_2 §5–6; digest §2). A message is parsed once
 * into these types; responses are built from them and serialised by `build.ts`.
 */
import type { Element } from '../wbxml/tree.js';

export type SyncmlVersion = '1.0' | '1.1' | '1.2';
export type Encoding = 'xml' | 'wbxml';

interface Anchor {
  readonly last?: string;
  readonly next?: string;
}

/** MetInf (OMA-TS-SyncML_MetaInfo-V1_2 §5). */
export interface Meta {
  readonly type?: string;
  readonly format?: string;
  readonly size?: number;
  readonly maxMsgSize?: number;
  readonly maxObjSize?: number;
  readonly anchor?: Anchor;
  readonly nextNonce?: string;
  readonly version?: string;
  readonly mark?: string;
  readonly emi?: readonly string[];
}

export interface LocRef {
  readonly locURI: string;
  readonly locName?: string;
}

/** Item data: text, raw bytes (WBXML OPAQUE), or an embedded document (DevInf). */
export type ItemData = string | Uint8Array | Element;

export interface Item {
  readonly target?: LocRef;
  readonly source?: LocRef;
  readonly targetParent?: string;
  readonly sourceParent?: string;
  readonly meta?: Meta;
  readonly data?: ItemData;
  readonly moreData?: boolean;
}

export interface Cred {
  readonly meta: Meta;
  readonly data: string;
}

export interface SyncHdr {
  readonly verDTD: string;
  readonly verProto: string;
  readonly sessionId: string;
  readonly msgId: string;
  readonly target: LocRef;
  readonly source: LocRef;
  readonly respURI?: string;
  readonly cred?: Cred;
  readonly meta?: Meta;
  readonly noResp?: boolean;
}

interface CommandBase {
  readonly cmdId: string;
  readonly noResp?: boolean;
}

export interface StatusCmd extends CommandBase {
  readonly kind: 'Status';
  readonly msgRef: string;
  readonly cmdRef: string;
  readonly cmd: string;
  readonly targetRefs: readonly string[];
  readonly sourceRefs: readonly string[];
  readonly chal?: Meta;
  readonly data: number;
  readonly items: readonly Item[];
}

export interface AlertCmd extends CommandBase {
  readonly kind: 'Alert';
  readonly data: number;
  readonly items: readonly Item[];
  readonly correlator?: string;
}

export type ItemCmdKind = 'Add' | 'Replace' | 'Delete' | 'Copy' | 'Move';

export interface ItemCmd extends CommandBase {
  readonly kind: ItemCmdKind;
  readonly meta?: Meta;
  readonly items: readonly Item[];
  readonly archive?: boolean;
  readonly sftDel?: boolean;
}

export interface SyncCmd extends CommandBase {
  readonly kind: 'Sync';
  readonly target?: LocRef;
  readonly source?: LocRef;
  readonly meta?: Meta;
  readonly numberOfChanges?: number;
  readonly commands: readonly ItemCmd[];
}

export interface PutGetCmd extends CommandBase {
  readonly kind: 'Put' | 'Get';
  readonly meta?: Meta;
  readonly items: readonly Item[];
}

export interface ResultsCmd extends CommandBase {
  readonly kind: 'Results';
  readonly msgRef?: string;
  readonly cmdRef: string;
  readonly meta?: Meta;
  readonly targetRef?: string;
  readonly sourceRef?: string;
  readonly items: readonly Item[];
}

interface MapItem {
  readonly target: string;
  readonly source: string;
}

export interface MapCmd extends CommandBase {
  readonly kind: 'Map';
  readonly target: LocRef;
  readonly source: LocRef;
  readonly meta?: Meta;
  readonly mapItems: readonly MapItem[];
}

/** Atomic and Sequence group commands (RepPro §6.6.3, §6.6.13). */
interface GroupCmd extends CommandBase {
  readonly kind: 'Atomic' | 'Sequence';
  readonly commands: readonly Command[];
}

/** A command the server does not implement (Exec, Search…): answered with 501/406. */
interface OtherCmd extends CommandBase {
  readonly kind: 'Other';
  readonly name: string;
}

export type Command = StatusCmd | AlertCmd | ItemCmd | SyncCmd | PutGetCmd | ResultsCmd | MapCmd | GroupCmd | OtherCmd;

export interface SyncmlMessage {
  readonly version: SyncmlVersion;
  readonly hdr: SyncHdr;
  readonly commands: readonly Command[];
  readonly final: boolean;
}

/**
 * Status codes (Data of Status) the server sends or reads (RepPro 1.2 §10; digest §5).
 * Code names them from here, never as bare numbers.
 */
export const STATUS = {
  OK: 200,
  ITEM_ADDED: 201,
  ACCEPTED: 202,
  CONFLICT_MERGED: 207,
  CONFLICT_CLIENT_WON: 208,
  CONFLICT_DUPLICATE: 209,
  NOT_DELETED: 211,
  AUTH_ACCEPTED: 212,
  CHUNK_ACCEPTED: 213,
  NOT_EXECUTED: 215,
  MULTIPLE_CHOICES: 300,
  BAD_REQUEST: 400,
  INVALID_CRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_ALLOWED: 405,
  OPTIONAL_NOT_SUPPORTED: 406,
  MISSING_CRED: 407,
  CONFLICT: 409,
  SIZE_REQUIRED: 411,
  INCOMPLETE: 412,
  TOO_LARGE: 413,
  UNSUPPORTED_TYPE: 415,
  SIZE_TOO_BIG: 416,
  RETRY_LATER: 417,
  ALREADY_EXISTS: 418,
  CONFLICT_SERVER_WON: 419,
  DEVICE_FULL: 420,
  SIZE_MISMATCH: 424,
  PERMISSION_DENIED: 425,
  COMMAND_FAILED: 500,
  NOT_IMPLEMENTED: 501,
  PROCESSING_ERROR: 506,
  REFRESH_REQUIRED: 508,
  DATASTORE_FAILURE: 510,
  SERVER_FAILURE: 511,
  SYNC_FAILED: 512,
  VERSION_NOT_SUPPORTED: 513,
} as const;

export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

/** 3xx, 4xx and 5xx: the command was not carried out as asked (RepPro 1.2 §10). */
export function isFailureStatus(code: number): boolean {
  return code >= STATUS.MULTIPLE_CHOICES;
}

/** Alert codes (Data of Alert; DS Protocol 1.2 §8; digest §6). */
export const ALERT = {
  DISPLAY: 100,
  TWO_WAY: 200,
  SLOW: 201,
  ONE_WAY_FROM_CLIENT: 202,
  REFRESH_FROM_CLIENT: 203,
  ONE_WAY_FROM_SERVER: 204,
  REFRESH_FROM_SERVER: 205,
  RESULT_ALERT: 221,
  NEXT_MESSAGE: 222,
  NO_END_OF_DATA: 223,
  SUSPEND: 224,
  RESUME: 225,
} as const;

/** The sync types a datastore Alert may ask for (DS Protocol 1.2 §8, 200–205). */
export type SyncType =
  | typeof ALERT.TWO_WAY
  | typeof ALERT.SLOW
  | typeof ALERT.ONE_WAY_FROM_CLIENT
  | typeof ALERT.REFRESH_FROM_CLIENT
  | typeof ALERT.ONE_WAY_FROM_SERVER
  | typeof ALERT.REFRESH_FROM_SERVER;

export function isSyncType(code: number): code is SyncType {
  return code >= ALERT.TWO_WAY && code <= ALERT.REFRESH_FROM_SERVER;
}

export const MEDIA_XML = 'application/vnd.syncml+xml';
export const MEDIA_WBXML = 'application/vnd.syncml+wbxml';
export const DEVINF_XML = 'application/vnd.syncml-devinf+xml';
export const DEVINF_WBXML = 'application/vnd.syncml-devinf+wbxml';
