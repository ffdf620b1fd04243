/**
 * A session as stored in kv under its RespURI token (session.ts): `{ version, session }`, the session's fields checked one
 * by one on the way in, never a bare cast. A session of the first shape (the fields at the top,
 * no format version; written before version 1) is taken over when it fits; anything else —
 * unreadable, another format version, a field that does not fit, another token — is discarded
 * with the reason, and the device starts a new session.
 */
import type { Datastore } from './datastores.js';
import {
  arrayOf,
  bool,
  isPlainObject,
  nullable,
  num,
  oneOf,
  optional,
  recordOf,
  shape,
  ShapeError,
  str,
  type Check,
} from './json-shape.js';
import type { SyncStateStore } from './ports.js';
import {
  Phase,
  SESSION_TTL_MS,
  TOKEN_SHAPE,
  type ChunkState,
  type DsState,
  type OutEntry,
  type OutItem,
  type OutSync,
  type SessionState,
} from './session.js';
import { ALERT, STATUS } from '../formats/syncml/model.js';

export const NS_SESSION = 'syncml-session';

/** The format of a stored session this code writes. */
export const SESSION_FORMAT_VERSION = 1;

const datastore = shape<Datastore>({
  key: str,
  collection: str,
  component: oneOf(['VCARD', 'VEVENT', 'VTODO']),
  kind: oneOf(['vcard', 'ical']),
});

const syncType = oneOf([
  ALERT.TWO_WAY,
  ALERT.SLOW,
  ALERT.ONE_WAY_FROM_CLIENT,
  ALERT.REFRESH_FROM_CLIENT,
  ALERT.ONE_WAY_FROM_SERVER,
  ALERT.REFRESH_FROM_SERVER,
]);

const strings = arrayOf(str);

const dsState = shape<DsState>({
  store: datastore,
  clientUri: str,
  serverUri: str,
  mode: syncType,
  clientNext: str,
  serverNext: str,
  baseSeq: num,
  snapshotSeq: num,
  sendType: str,
  serverChanged: strings,
  seen: strings,
  resend: strings,
  unmap: strings,
  clientDone: bool,
  ctCap: nullable(strings),
  maxGuidSize: optional(num),
  maxObjSize: optional(num),
  withheld: optional(strings),
});

const outSync = shape<OutSync>({ ds: str, count: num });
const outItem = shape<OutItem>({
  ds: str,
  op: oneOf(['Add', 'Replace', 'Delete']),
  guid: str,
  luid: optional(str),
  type: optional(str),
  data: optional(str),
  offset: optional(num),
  sourceUri: optional(str),
});
const outEntry: Check<OutEntry> = (v, p) =>
  isPlainObject(v) && 'sync' in v
    ? { sync: outSync(v.sync, `${p}.sync`) }
    : { item: outItem(isPlainObject(v) ? v.item : v, `${p}.item`) };

const chunk = shape<ChunkState>({
  key: str,
  size: nullable(num),
  data: str,
  refused: optional(oneOf([STATUS.TOO_LARGE, STATUS.SIZE_TOO_BIG])),
});

const session = shape<SessionState>({
  token: str,
  deviceId: str,
  sessionId: str,
  version: oneOf(['1.0', '1.1', '1.2']),
  encoding: oneOf(['xml', 'wbxml']),
  serverUri: str,
  userId: nullable(num),
  userName: nullable(str),
  lastClientMsgId: str,
  serverMsgId: num,
  maxMsgSize: num,
  maxObjSize: nullable(num),
  phase: oneOf(Object.values(Phase)),
  serverFinalSent: bool,
  stores: recordOf(dsState),
  outbox: arrayOf(outEntry),
  chunk: nullable(chunk),
  devinf: nullable(str),
  startedAt: num,
});

function serialiseSession(s: SessionState): string {
  return JSON.stringify({ version: SESSION_FORMAT_VERSION, session: s });
}

/** The session stored under `token`, or null with a line in `problems` saying why not. */
export function parseStoredSession(text: string, token: string, problems: string[]): SessionState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    problems.push('not JSON');
    return null;
  }
  if (!isPlainObject(raw)) {
    problems.push('not an object');
    return null;
  }
  // The first shape had the session's own fields at the top (its `version` the SyncML version).
  const legacy = typeof raw.version !== 'number';
  if (!legacy && raw.version !== SESSION_FORMAT_VERSION) {
    problems.push(`format version ${String(raw.version)}, this server reads ${SESSION_FORMAT_VERSION}`);
    return null;
  }
  try {
    const s = session(legacy ? raw : raw.session, 'session');
    if (s.token !== token) {
      problems.push('stored under another token');
      return null;
    }
    return s;
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    problems.push(`${legacy ? 'first-shape session' : 'session'}: ${err.message}`);
    return null;
  }
}

/** A session as it was stored, or null (with the reason logged) when there is none to go on with. */
export async function loadSession(
  state: SyncStateStore,
  token: string,
  log: (line: string) => void,
): Promise<SessionState | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const raw = await state.getValue(NS_SESSION, token);
  if (!raw) return null;
  const problems: string[] = [];
  const s = parseStoredSession(raw, token, problems);
  for (const p of problems) log(`syncml: stored session discarded: ${p}`);
  return s;
}

export async function saveSession(state: SyncStateStore, s: SessionState): Promise<void> {
  await state.setValue(NS_SESSION, s.token, serialiseSession(s), SESSION_TTL_MS);
}
