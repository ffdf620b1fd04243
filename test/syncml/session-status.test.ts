/**
 * Status and alert paths of /syncml (RepPro 1.2 §10, DS Protocol 1.2 §6; digest §1, §4–7):
 * 407/401/212 authentication, 404 unknown database, 508 + Alert 201 without state, a resent
 * message answered from the cache, HTTP 415 for a wrong media type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeMessage, encodeMessage } from '../../src/formats/syncml/codec.js';
import type { Command, Cred, SyncmlMessage } from '../../src/formats/syncml/model.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

function pkg1(msgId: string, cred: Cred | undefined, db = 'contacts', sessionId = '7'): SyncmlMessage {
  return {
    version: '1.2',
    final: true,
    hdr: {
      verDTD: '1.2',
      verProto: 'SyncML/1.2',
      sessionId,
      msgId,
      target: { locURI: 'http://x/syncml' },
      source: { locURI: 'test-phone', locName: 'alice' },
      ...(cred ? { cred } : {}),
    },
    commands: [
      {
        kind: 'Alert',
        cmdId: '1',
        data: 200,
        items: [
          { target: { locURI: db }, source: { locURI: './contacts' }, meta: { anchor: { last: 'a0', next: 'a1' } } },
        ],
      },
    ],
  };
}

const basicCred = (pw: string): Cred => ({
  meta: { type: 'syncml:auth-basic', format: 'b64' },
  data: Buffer.from(`alice:${pw}`).toString('base64'),
});

describe('SyncML session status paths', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  async function post(
    msg: SyncmlMessage,
    url = '/syncml',
    encoding: 'xml' | 'wbxml' = 'xml',
  ): Promise<{ raw: Uint8Array; msg: SyncmlMessage }> {
    const res = await fetch(new URL(url, server.url), {
      method: 'POST',
      headers: { 'Content-Type': `application/vnd.syncml+${encoding}` },
      body: encodeMessage(msg, encoding),
    });
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get('content-type'),
      `application/vnd.syncml+${encoding}`,
      'answered in the client encoding',
    );
    const raw = new Uint8Array(await res.arrayBuffer());
    return { raw, msg: decodeMessage(raw, encoding) };
  }
  const statusOf = (cmds: readonly Command[], cmd: string) => cmds.find((c) => c.kind === 'Status' && c.cmd === cmd);

  it('§4: no credentials → 407 with a Chal', async () => {
    const r = await post(pkg1('1', undefined, 'contacts', '1'));
    const st = statusOf(r.msg.commands, 'SyncHdr');
    assert.equal(st?.kind === 'Status' ? st.data : 0, 407);
    assert.ok(st?.kind === 'Status' && st.chal?.type, 'a challenge names the scheme');
  });

  it('§4: wrong password → 401', async () => {
    const r = await post(pkg1('1', basicCred('nope'), 'contacts', '2'));
    const st = statusOf(r.msg.commands, 'SyncHdr');
    assert.equal(st?.kind === 'Status' ? st.data : 0, 401);
  });

  it('§4, §7: auth-basic → 212 with md5 NextNonce; no state → Alert status 508 and Alert 201', async () => {
    const r = await post(pkg1('1', basicCred('alice-pw'), 'contacts', '3'));
    const hdr = statusOf(r.msg.commands, 'SyncHdr');
    assert.equal(hdr?.kind === 'Status' ? hdr.data : 0, 212);
    assert.equal(
      hdr?.kind === 'Status' ? hdr.chal?.type : '',
      'syncml:auth-md5',
      'after a clear-text login md5 is offered',
    );
    const al = statusOf(r.msg.commands, 'Alert');
    assert.equal(al?.kind === 'Status' ? al.data : 0, 508);
    const alert = r.msg.commands.find((c) => c.kind === 'Alert');
    assert.equal(alert?.kind === 'Alert' ? alert.data : 0, 201);
    assert.ok(r.msg.hdr.respURI?.includes('?sid='), 'RespURI carries the session token');
    assert.equal(r.msg.final, true);
  });

  it('§5: unknown database → 404', async () => {
    const r = await post(pkg1('1', basicCred('alice-pw'), 'no-such-db', '4'), '/syncml', 'wbxml');
    const al = statusOf(r.msg.commands, 'Alert');
    assert.equal(al?.kind === 'Status' ? al.data : 0, 404);
  });

  it('§1: a message resent to the RespURI is answered from the cache, byte for byte', async () => {
    const first = await post(pkg1('1', basicCred('alice-pw'), 'card', '5'));
    const respUri = new URL(first.msg.hdr.respURI ?? '');
    const again = await post(pkg1('1', basicCred('alice-pw'), 'card', '5'), `${respUri.pathname}${respUri.search}`);
    assert.deepEqual(again.raw, first.raw);
  });

  it('§1: a body that is not SyncML media type → HTTP 415', async () => {
    const res = await fetch(new URL('/syncml', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x',
    });
    assert.equal(res.status, 415);
  });
});
