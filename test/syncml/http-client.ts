/** A SyncML client over real HTTP for end-to-end tests: build a message, POST it, read the answer. */
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from '../../src/formats/syncml/codec.js';
import type { Command, Cred, Encoding, Item, SyncmlMessage } from '../../src/formats/syncml/model.js';

export const basicCred = (user: string, password: string): Cred => ({
  meta: { type: 'syncml:auth-basic', format: 'b64' },
  data: Buffer.from(`${user}:${password}`).toString('base64'),
});

export const vcard = (uid: string, fn: string): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;

/** A SyncML 1.2 message from `device` in session `sessionId`. */
export function message(o: {
  device: string;
  sessionId: string;
  msgId: string;
  cred?: Cred;
  commands: Command[];
  final?: boolean;
}): SyncmlMessage {
  return {
    version: '1.2',
    final: o.final ?? true,
    commands: o.commands,
    hdr: {
      verDTD: '1.2',
      verProto: 'SyncML/1.2',
      sessionId: o.sessionId,
      msgId: o.msgId,
      target: { locURI: 'http://x/syncml' },
      source: { locURI: o.device },
      ...(o.cred ? { cred: o.cred } : {}),
    },
  };
}

/** Alert `code` for the server database `target` (client database `./contacts`). */
export function alert(cmdId: string, target: string, code = 200): Command {
  return {
    kind: 'Alert',
    cmdId,
    data: code,
    items: [{ target: { locURI: target }, source: { locURI: './contacts' }, meta: { anchor: { next: 'n1' } } }],
  };
}

/** A Sync of the server database `target` adding one vCard. */
export function syncAdd(cmdId: string, target: string, luid: string, card: string): Command {
  return {
    kind: 'Sync',
    cmdId,
    target: { locURI: target },
    source: { locURI: './contacts' },
    commands: [
      {
        kind: 'Add',
        cmdId: `${cmdId}1`,
        meta: { type: 'text/vcard' },
        items: [{ source: { locURI: luid }, data: card }],
      },
    ],
  };
}

export interface Answer {
  readonly raw: Uint8Array;
  readonly msg: SyncmlMessage;
  /** The RespURI's path and query, to post the next message to. */
  readonly next: string;
}

/** POST one message to `path` of `base`; the answer must be a SyncML message (HTTP 200). */
export async function post(
  base: string,
  msg: SyncmlMessage,
  path = '/syncml',
  encoding: Encoding = 'xml',
): Promise<Answer> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': `application/vnd.syncml+${encoding}` },
    body: encodeMessage(msg, encoding),
  });
  assert.equal(res.status, 200);
  const raw = new Uint8Array(await res.arrayBuffer());
  const answer = decodeMessage(raw, encoding);
  const resp = new URL(answer.hdr.respURI ?? '/syncml', base);
  return { raw, msg: answer, next: `${resp.pathname}${resp.search}` };
}

/** Status codes the answer gives to commands named `cmd` (SyncHdr, Alert, Sync, Add, …). */
export function statuses(m: SyncmlMessage, cmd: string): number[] {
  return m.commands.flatMap((c) => (c.kind === 'Status' && c.cmd === cmd ? [c.data] : []));
}

/** Every item the server sends in its Syncs. */
export function sentItems(m: SyncmlMessage): Item[] {
  return m.commands.flatMap((c) => (c.kind === 'Sync' ? c.commands.flatMap((ic) => ic.items) : []));
}
