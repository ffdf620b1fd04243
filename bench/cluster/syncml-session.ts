/**
 * A SyncML DS 1.2 session whose every message may land on another node (issue #21): message 1
 * authenticates and asks for a slow sync of the contacts, message 2 (to the RespURI) adds one
 * vCard. `bases` are tried in turn, message i going to bases[i % n], so with the nodes' own URLs
 * every message reaches a different process; with the balancer's URL, round robin does it.
 */
import { decodeMessage, encodeMessage } from '../../src/formats/syncml/codec.js';
import type { Command, SyncmlMessage } from '../../src/formats/syncml/model.js';

function message(device: string, session: string, msgId: string, commands: Command[], cred?: string): SyncmlMessage {
  return {
    version: '1.2',
    final: true,
    commands,
    hdr: {
      verDTD: '1.2',
      verProto: 'SyncML/1.2',
      sessionId: session,
      msgId,
      target: { locURI: 'http://almanac/syncml' },
      source: { locURI: device },
      ...(cred ? { cred: { meta: { type: 'syncml:auth-basic', format: 'b64' }, data: cred } } : {}),
    },
  };
}

async function post(base: string, path: string, msg: SyncmlMessage): Promise<{ msg: SyncmlMessage; next: string }> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.syncml+xml' },
    body: encodeMessage(msg, 'xml'),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 200) throw new Error(`SyncML POST ${path}: HTTP ${res.status}`);
  const answer = decodeMessage(new Uint8Array(await res.arrayBuffer()), 'xml');
  const resp = new URL(answer.hdr.respURI ?? '/syncml', base);
  return { msg: answer, next: `${resp.pathname}${resp.search}` };
}

const statuses = (m: SyncmlMessage, cmd: string): number[] =>
  m.commands.flatMap((c) => (c.kind === 'Status' && c.cmd === cmd ? [c.data] : []));

/** Run the session; resolves with the UID of the card added, throws on any unexpected status. */
export async function syncmlAddAcrossNodes(
  bases: readonly string[],
  user: string,
  password: string,
  device: string,
): Promise<string> {
  const session = String(Math.floor(Math.random() * 1e6));
  const cred = Buffer.from(`${user}:${password}`).toString('base64');
  const alert: Command = {
    kind: 'Alert',
    cmdId: '1',
    data: 201,
    items: [{ target: { locURI: 'contacts' }, source: { locURI: './contacts' }, meta: { anchor: { next: session } } }],
  };
  const first = await post(bases[0]!, '/syncml', message(device, session, '1', [alert], cred));
  if (statuses(first.msg, 'SyncHdr')[0] !== 212)
    throw new Error(`SyncML: not authenticated (${statuses(first.msg, 'SyncHdr').join()})`);
  const uid = `syncml-${device}-${session}`;
  const sync: Command = {
    kind: 'Sync',
    cmdId: '2',
    target: { locURI: 'contacts' },
    source: { locURI: './contacts' },
    commands: [
      {
        kind: 'Add',
        cmdId: '3',
        meta: { type: 'text/vcard' },
        items: [
          {
            source: { locURI: `luid-${session}` },
            data: `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:From ${device}\r\nN:${device};;;;\r\nEND:VCARD\r\n`,
          },
        ],
      },
    ],
  };
  const second = await post(bases[1 % bases.length]!, first.next, message(device, session, '2', [sync]));
  const added = statuses(second.msg, 'Add');
  if (added[0] !== 201)
    throw new Error(
      `SyncML: Add answered ${added.join() || 'nothing'} (header ${statuses(second.msg, 'SyncHdr').join()})`,
    );
  return uid;
}
