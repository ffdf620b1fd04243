/**
 * The SyncML DS server (OMA DS Protocol 1.2 §5–6, RepPro 1.2; digest §1–10 — "digest" is
 * docs/syncml-ds-digest.md throughout the SyncML code): one call per HTTP
 * POST. A session is found only by the unguessable token the server put in its RespURI (digest
 * §1): a message without it starts a new, unauthenticated session, whatever device ID and
 * SessionID it names. Resent messages are answered from the cached reply of that session, and
 * all state lives in the store. Bodies are decoded within the document limits
 * (formats/wbxml/limits.ts) before anything else, authentication included, costs anything.
 */
import { decodeMessage, encodingOf, mediaTypeOf } from '../formats/syncml/codec.js';
import { SyncmlParseError } from '../formats/syncml/parse.js';
import type { Encoding, Meta, SyncmlMessage } from '../formats/syncml/model.js';
import { ALERT, STATUS } from '../formats/syncml/model.js';
import { SyncmlXmlError } from '../formats/syncml/xml.js';
import { WbxmlError } from '../formats/wbxml/codec.js';
import { DocumentLimitError } from '../formats/wbxml/limits.js';
import { Authenticator } from './auth.js';
import { handleCommands, type EngineDeps } from './commands.js';
import { commitSession } from './commit.js';
import type { SyncAuthenticator, SyncItemStore, SyncStateStore, SyncUser } from './ports.js';
import { Reply } from './reply.js';
import { newSessionToken, NS_RESPONSE, Phase, SESSION_TTL_MS, type DsState, type SessionState } from './session.js';
import { loadSession, saveSession } from './session-record.js';
import type { ConflictPolicy } from './apply-item.js';
import { queueServerChanges } from './server-changes.js';
import { syncMode } from './sync-modes.js';
import { packOutbox } from './sync-out.js';

export interface SyncmlServerOptions {
  readonly items: SyncItemStore;
  readonly state: SyncStateStore;
  readonly users: SyncAuthenticator;
  readonly conflictPolicy?: ConflictPolicy;
  readonly log?: (line: string) => void;
  /** Largest object accepted from a device (announced as MaxObjSize); default 10 MiB. */
  readonly maxObjSize?: number;
}

export interface SyncmlHttpRequest {
  readonly body: Uint8Array;
  readonly contentType: string | undefined;
  /** Absolute URL of the endpoint without query, e.g. http://host:port/syncml. */
  readonly endpoint: string;
  /** The `sid` query parameter of a RespURI: the session's secret, null when absent. */
  readonly token: string | null;
  readonly authorization: string | undefined;
  /** The client's network address, for the brute-force throttle (domain/throttle.ts). */
  readonly clientAddress?: string | undefined;
}

export interface SyncmlHttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** The largest message body the HTTP binding reads (the document limits' maxBytes). */
export { MAX_MESSAGE_BYTES } from '../formats/wbxml/limits.js';

const DEFAULT_MAX_MSG = 1024 * 1024;
/** As a CalDAV/CardDAV object (RFC 4791 §5.2.5 max-resource-size default). */
const DEFAULT_MAX_OBJ_SIZE = 10 * 1024 * 1024;

/** HTTP statuses of the binding (digest §1): every SyncML answer is a 200; 400/413/415 refuse the body itself. */
const HTTP_OK = 200;
const HTTP_BAD_REQUEST = 400;
const HTTP_UNSUPPORTED_MEDIA_TYPE = 415;

function plain(status: number, text: string): SyncmlHttpResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: new TextEncoder().encode(`${text}\n`) };
}

/** The SyncHdr as a command: Statuses to it have CmdRef 0 (RepPro 1.2 §6.6.15). */
const HDR_CMD = { cmdId: '0' };
const hdrRefs = (msg: SyncmlMessage) => ({
  targetRef: msg.hdr.target.locURI,
  sourceRef: msg.hdr.source.locURI,
  cmdName: 'SyncHdr',
});

/** The body decoded within the document limits, or the HTTP refusal (415, 400, 413). */
function decode(req: SyncmlHttpRequest): { msg: SyncmlMessage; encoding: Encoding } | { refusal: SyncmlHttpResponse } {
  const encoding = encodingOf(req.contentType);
  if (!encoding)
    return {
      refusal: plain(
        HTTP_UNSUPPORTED_MEDIA_TYPE,
        'SyncML needs application/vnd.syncml+xml or application/vnd.syncml+wbxml',
      ),
    };
  try {
    return { msg: decodeMessage(req.body, encoding), encoding };
  } catch (err) {
    if (err instanceof DocumentLimitError)
      return { refusal: plain(err.status, `SyncML message refused: ${err.message}`) };
    if (err instanceof SyncmlParseError || err instanceof SyncmlXmlError || err instanceof WbxmlError) {
      return { refusal: plain(HTTP_BAD_REQUEST, `malformed SyncML message: ${err.message}`) };
    }
    throw err;
  }
}

/**
 * Pack what the server still has to send and say whether this message closes our package
 * (Final). A non-final client message with nothing left to send gets Alert 222, asking for the
 * rest of the client's package (digest §10).
 */
function closeMessage(s: SessionState, reply: Reply, clientFinal: boolean): boolean {
  const hadOutbox = s.outbox.length > 0;
  const drained = packOutbox(s, reply, s.maxMsgSize);
  let final: boolean;
  if (!drained) final = false;
  else if (hadOutbox) final = true;
  else {
    final = clientFinal;
    if (!final) {
      reply.add({
        kind: 'Alert',
        data: ALERT.NEXT_MESSAGE,
        items: [{ target: { locURI: s.deviceId }, source: { locURI: s.serverUri } }],
      });
    }
  }
  s.serverFinalSent = final;
  return final;
}

export class SyncmlServer {
  private readonly auth: Authenticator;
  private readonly deps: EngineDeps;

  constructor(private readonly o: SyncmlServerOptions) {
    this.auth = new Authenticator(o.users, o.state);
    this.deps = {
      items: o.items,
      state: o.state,
      policy: o.conflictPolicy ?? 'server-wins',
      log: o.log ?? ((l) => process.stderr.write(`${l}\n`)),
      maxObjSize: o.maxObjSize ?? DEFAULT_MAX_OBJ_SIZE,
    };
  }

  async handle(req: SyncmlHttpRequest): Promise<SyncmlHttpResponse> {
    const decoded = decode(req);
    if ('refusal' in decoded) return decoded.refusal;
    const { msg, encoding } = decoded;
    const deviceId = msg.hdr.source.locURI;
    // Only the RespURI secret continues a session; device ID and SessionID are the client's
    // guessable choices and merely have to match the session the secret names.
    let s = req.token ? await loadSession(this.o.state, req.token, this.deps.log) : null;
    if (s && (s.deviceId !== deviceId || s.sessionId !== msg.hdr.sessionId)) s = null;
    if (s && s.lastClientMsgId === msg.hdr.msgId) {
      // A resend (digest §1) to the RespURI: the same answer, nothing applied twice.
      const cached = await this.o.state.getValue(NS_RESPONSE, s.token);
      if (cached) return { status: HTTP_OK, contentType: mediaTypeOf(s.encoding), body: Buffer.from(cached, 'base64') };
    }
    if (!s || s.phase === Phase.DONE) s = this.newSession(msg, encoding, req.endpoint, deviceId);
    s.lastClientMsgId = msg.hdr.msgId;
    s.serverMsgId += 1;
    const hdrMeta = msg.hdr.meta;
    if (hdrMeta?.maxMsgSize) s.maxMsgSize = hdrMeta.maxMsgSize;
    if (hdrMeta?.maxObjSize) s.maxObjSize = hdrMeta.maxObjSize;
    const auth = await this.authenticate(s, msg, req);
    if ('refusal' in auth) return auth.refusal;
    const reply = new Reply(s, msg, `${req.endpoint}?sid=${s.token}`, this.deps.maxObjSize);
    // 212: authenticated for the whole session, with the nonce for the next one; 200: a session's later message.
    if (auth.chal) reply.status(HDR_CMD, STATUS.AUTH_ACCEPTED, { ...hdrRefs(msg), chal: auth.chal });
    else reply.status(HDR_CMD, STATUS.OK, hdrRefs(msg));
    const outboxBefore = s.outbox.length;
    await handleCommands(this.deps, s, auth.user, msg, reply);
    if (msg.final) await this.packageComplete(s, auth.user, outboxBefore);
    return this.finish(s, reply, closeMessage(s, reply, msg.final));
  }

  /**
   * The session's user: authenticated before, or now from the message (RepPro §5.1.2, digest §4).
   * A refusal is 401/407 with a Chal — the client retries with new Cred — or 417 (retry later,
   * throttled); either way the session is not kept, and the answer names no RespURI to come back to.
   */
  private async authenticate(
    s: SessionState,
    msg: SyncmlMessage,
    req: SyncmlHttpRequest,
  ): Promise<{ user: SyncUser; chal?: Meta | undefined } | { refusal: SyncmlHttpResponse }> {
    if (s.userId !== null) return { user: { id: s.userId, name: s.userName ?? '' } };
    const a = await this.auth.authenticate({
      cred: msg.hdr.cred,
      httpAuthorization: req.authorization,
      deviceId: s.deviceId,
      locName: msg.hdr.source.locName,
      version: msg.version,
      address: req.clientAddress,
    });
    if (!a.user) {
      const refusal = new Reply(s, msg, undefined, this.deps.maxObjSize);
      refusal.status(HDR_CMD, a.status, { ...hdrRefs(msg), chal: a.chal });
      for (const c of msg.commands) if (c.kind !== 'Status') refusal.status(c, STATUS.NOT_EXECUTED, {});
      return { refusal: { status: HTTP_OK, contentType: mediaTypeOf(s.encoding), body: refusal.encode(true) } };
    }
    s.userId = a.user.id;
    s.userName = a.user.name;
    return { user: { id: a.user.id, name: a.user.name }, chal: a.chal };
  }

  /** The client's package is complete (Final): the session moves on (DS Protocol §6). */
  private async packageComplete(s: SessionState, user: SyncUser, outboxBefore: number): Promise<void> {
    if (s.phase === Phase.AWAIT_INIT) s.phase = Phase.AWAIT_CLIENT_SYNC;
    else if (s.phase === Phase.AWAIT_CLIENT_SYNC) {
      // Package 3 complete: the server's changes form package 4.
      const maps = await this.loadMaps(s);
      for (const ds of Object.values(s.stores)) {
        ds.clientDone = true;
        await this.finishClientSide(s, ds, user);
        await queueServerChanges(
          s,
          user,
          ds,
          this.o.items,
          maps.get(ds.store.key) ?? new Map(),
          this.o.state,
          this.deps.log,
        );
      }
      s.phase = Phase.AWAIT_MAP;
    } else if (s.phase === Phase.AWAIT_MAP && s.serverFinalSent && outboxBefore === 0) {
      await commitSession(this.o.state, this.o.items, s);
      s.phase = Phase.DONE;
    }
  }

  private newSession(msg: SyncmlMessage, encoding: 'xml' | 'wbxml', endpoint: string, deviceId: string): SessionState {
    return {
      token: newSessionToken(),
      deviceId,
      sessionId: msg.hdr.sessionId,
      version: msg.version,
      encoding,
      serverUri: msg.hdr.target.locURI || endpoint,
      userId: null,
      userName: null,
      lastClientMsgId: '',
      serverMsgId: 0,
      maxMsgSize: DEFAULT_MAX_MSG,
      maxObjSize: null,
      phase: Phase.AWAIT_INIT,
      serverFinalSent: false,
      stores: {},
      outbox: [],
      chunk: null,
      devinf: null,
      startedAt: Date.now(),
    };
  }

  private async loadMaps(s: SessionState): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>();
    for (const ds of Object.values(s.stores))
      out.set(ds.store.key, await this.o.state.idMap(s.userId ?? 0, s.deviceId, ds.store.key));
    return out;
  }

  /** Refresh from client: what the client did not send is deleted on the server. */
  private async finishClientSide(s: SessionState, ds: DsState, user: SyncUser): Promise<void> {
    if (!syncMode(ds.mode).deletesUnsent) return;
    const seen = new Set(ds.seen);
    for (const it of await this.o.items.list(user, ds.store.collection, ds.store.component)) {
      if (!seen.has(it.name)) await this.o.items.delete(user, ds.store.collection, it.name, `syncml:${s.deviceId}`);
    }
  }

  /** Encode the answer and keep the (authenticated) session and the answer for a resend. */
  private async finish(s: SessionState, reply: Reply, final: boolean): Promise<SyncmlHttpResponse> {
    const body = reply.encode(final);
    await saveSession(this.o.state, s);
    await this.o.state.setValue(NS_RESPONSE, s.token, Buffer.from(body).toString('base64'), SESSION_TTL_MS);
    return { status: HTTP_OK, contentType: mediaTypeOf(s.encoding), body };
  }
}
