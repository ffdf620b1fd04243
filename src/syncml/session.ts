/**
 * SyncML session state (DS Protocol 1.2 §5–6; digest §2–3, §15.2). Kept in the store's kv under
 * the RespURI token, never only in memory, so any node of a cluster can answer the next message.
 * The token is the session's secret: it is the only way to reach the session or its cached reply.
 * session-record.ts stores and loads it (versioned, checked).
 */
import { randomBytes } from 'node:crypto';
import type { Encoding, STATUS, SyncmlVersion, SyncType } from '../formats/syncml/model.js';
import type { Datastore } from './datastores.js';

export const NS_RESPONSE = 'syncml-response';
export const SESSION_TTL_MS = 30 * 60_000;

/** Random bytes in a session token: 128 bits, beyond guessing within SESSION_TTL_MS. */
const TOKEN_BYTES = 16;
/** What a token looks like (base64url of TOKEN_BYTES); anything else names no session. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** A fresh, unguessable session token for the RespURI (`?sid=`). */
export function newSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Which package of the client the session waits for (DS Protocol 1.2 §6: packages 1, 3, 5), or
 * done. The values are the package numbers, as stored sessions hold them.
 */
export const Phase = { AWAIT_INIT: 1, AWAIT_CLIENT_SYNC: 3, AWAIT_MAP: 5, DONE: 7 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** One item the server still has to send (pkg4), possibly a large object partly sent. */
export interface OutItem {
  readonly ds: string;
  readonly op: 'Add' | 'Replace' | 'Delete';
  readonly guid: string;
  readonly luid?: string;
  readonly type?: string;
  readonly data?: string;
  /** Characters of `data` already sent (large objects, digest §9). */
  offset?: number;
  /**
   * The LocURI the device sees for this server item when it is not `guid`: a short temporary
   * GUID on Add (DevInf MaxGUIDSize, digest §8), '' to leave Source out of a Replace.
   */
  sourceUri?: string;
}

/** A Sync of one datastore to open in the next message (so empty Syncs are sent too). */
export interface OutSync {
  readonly ds: string;
  readonly count: number;
}

export type OutEntry = { readonly sync: OutSync } | { readonly item: OutItem };

/** Per datastore of this session. */
export interface DsState {
  readonly store: Datastore;
  /** The client's database URI (Alert Item Source) and the one it addressed (Target). */
  readonly clientUri: string;
  readonly serverUri: string;
  /** Sync type in force (rules: sync-modes.ts). */
  mode: SyncType;
  clientNext: string;
  serverNext: string;
  /** Change-feed seq the device has seen before this session. */
  baseSeq: number;
  /** Seq snapshot taken when the server's changes were computed. */
  snapshotSeq: number;
  /** Wire type to send: text/vcard, text/x-vcard, text/calendar, text/x-vcalendar. */
  sendType: string;
  /** Guids changed on the server since baseSeq by someone else (conflict detection). */
  serverChanged: string[];
  /** Slow/refresh sync: guids the client's items matched or created. */
  seen: string[];
  /**
   * The server's version goes back: matched on slow sync but different (server wins), or an
   * attendee's copy that kept the organizer's fields the client changed or lost (item-writes.ts).
   */
  resend: string[];
  /** Guids whose map entry goes when the session commits (our Deletes). */
  unmap: string[];
  /** The client's Sync for this store arrived (complete package). */
  clientDone: boolean;
  /** CTCap property names of the client for its type (field-level merge). */
  ctCap: string[] | null;
  /** DevInf MaxGUIDSize of the client's datastore (digest §8); absent = no limit known. */
  maxGuidSize?: number;
  /** MaxObjSize the client announced in the Alert Meta (digest §9); else the SyncHdr one applies. */
  maxObjSize?: number;
  /** Guids not sent because they exceed the device's MaxObjSize; persisted when the session commits. */
  withheld?: string[];
}

export interface ChunkState {
  readonly key: string;
  readonly size: number | null;
  /** Base64 of the bytes received so far. */
  data: string;
  /** The object was refused (413/416): its remaining chunks get this status and are dropped. */
  refused?: typeof STATUS.TOO_LARGE | typeof STATUS.SIZE_TOO_BIG;
}

export interface SessionState {
  readonly token: string;
  readonly deviceId: string;
  readonly sessionId: string;
  readonly version: SyncmlVersion;
  readonly encoding: Encoding;
  readonly serverUri: string;
  userId: number | null;
  userName: string | null;
  lastClientMsgId: string;
  serverMsgId: number;
  maxMsgSize: number;
  maxObjSize: number | null;
  phase: Phase;
  /** Our last message closed our package (Final). */
  serverFinalSent: boolean;
  stores: Record<string, DsState>;
  outbox: OutEntry[];
  chunk: ChunkState | null;
  /** Device DevInf as received (JSON of DevInf), to merge into the device record. */
  devinf: string | null;
  startedAt: number;
}

/** The change-feed origin of this device's writes (so its own edits are not echoed back). */
export const origin = (s: SessionState): string => `syncml:${s.deviceId}`;
