/**
 * Nothing is stored for a SyncML message that does not authenticate (RepPro 1.2 §5.1.2, digest
 * §4): a 401/407 answer leaves no session, no cached reply and no nonce in the store, whatever
 * device ID, SessionID or user it names, so a flood of anonymous messages cannot grow storage.
 * The client's retry with credentials starts its session then; syncml:auth-md5 still works for
 * a device the server has never seen, with a challenge nonce that is computed, not kept.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Cred, Meta, SyncmlMessage } from '../../src/formats/syncml/model.js';
import { md5Digest, md5Secret } from '../../src/syncml/auth.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { alert, basicCred, message, post, type Answer } from './http-client.js';

const ANONYMOUS = 120;

/** A message from `device` whose SyncHdr Source names `locName` (the md5 user name, digest §4). */
function from(device: string, o: { sessionId?: string; msgId?: string; locName?: string; cred?: Cred }): SyncmlMessage {
  const m = message({
    device,
    sessionId: o.sessionId ?? '1',
    msgId: o.msgId ?? '1',
    commands: [alert('1', 'contacts', 200)],
    ...(o.cred ? { cred: o.cred } : {}),
  });
  return { ...m, hdr: { ...m.hdr, source: { locURI: device, ...(o.locName ? { locName: o.locName } : {}) } } };
}

const md5Cred = (nonce: string): Cred => ({
  meta: { type: 'syncml:auth-md5', format: 'b64' },
  data: md5Digest(md5Secret('alice', 'alice-pw'), Buffer.from(nonce, 'base64'), '1.2'),
});

function hdrStatus(a: Answer): { code: number; chal: Meta | undefined } {
  const st = a.msg.commands.find((c) => c.kind === 'Status' && c.cmd === 'SyncHdr');
  assert.ok(st && st.kind === 'Status');
  return { code: st.data, chal: st.chal };
}

describe('digest §4: an unauthenticated SyncML message stores nothing', () => {
  let server: TestServer;
  let db: Database.Database;
  const rows = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  before(async () => {
    server = await startTestServer();
    db = new Database(join(server.dataDir, 'almanac.sqlite'), { readonly: true });
    // alice logs in once with auth-basic: the server learns her md5 secret and offers md5 from now on.
    const first = await post(server.url, from('alice-phone', { cred: basicCred('alice', 'alice-pw') }));
    assert.equal(hdrStatus(first).code, 212);
    assert.equal(hdrStatus(first).chal?.type, 'syncml:auth-md5');
  });
  after(async () => {
    db.close();
    await server.close();
  });

  it(`${ANONYMOUS} anonymous messages (new device IDs, naming an md5 user, resent) leave the kv table as it was`, async () => {
    const kvBefore = rows('kv');
    const failuresBefore = rows('auth_failures');
    for (let i = 0; i < ANONYMOUS; i++) {
      const device = `flood-${i}`;
      const r = await post(
        server.url,
        from(device, { sessionId: String(i), ...(i % 2 === 0 ? { locName: 'alice' } : {}) }),
      );
      assert.equal(hdrStatus(r).code, 407);
      if (i % 2 === 0) assert.equal(hdrStatus(r).chal?.type, 'syncml:auth-md5', 'alice is challenged with md5');
      assert.equal(r.msg.hdr.respURI, undefined, 'no session to come back to');
      // The same message again, as a client's resend after a timeout.
      if (i % 10 === 0)
        assert.equal(hdrStatus(await post(server.url, from(device, { sessionId: String(i), msgId: '1' }))).code, 407);
    }
    assert.equal(rows('kv'), kvBefore, 'no session, cached reply or nonce was stored');
    assert.equal(rows('auth_failures'), failuresBefore, 'no credentials, nothing counted');
  });

  it('md5 from a device never seen: the 407 challenge nonce is not stored, and the retry built on it is accepted (212)', async () => {
    const kvBefore = rows('kv');
    const challenged = await post(server.url, from('alice-tablet', { locName: 'alice' }));
    const nonce = hdrStatus(challenged).chal?.nextNonce;
    assert.ok(nonce, 'md5 challenge with a NextNonce');
    assert.equal(rows('kv'), kvBefore);
    const again = await post(server.url, from('alice-tablet', { locName: 'alice' }));
    assert.equal(hdrStatus(again).chal?.nextNonce, nonce, 'the same nonce within its window, recomputed');
    const wrong = await post(
      server.url,
      from('alice-tablet', { msgId: '2', locName: 'alice', cred: md5Cred('AAAAAAAAAAAAAAAA') }),
    );
    assert.equal(hdrStatus(wrong).code, 401);
    const ok = await post(server.url, from('alice-tablet', { msgId: '2', locName: 'alice', cred: md5Cred(nonce) }));
    assert.equal(hdrStatus(ok).code, 212);
    assert.match(ok.next, /\?sid=[\w-]{22}$/, 'the authenticated session has its RespURI');
    const next = hdrStatus(ok).chal?.nextNonce;
    assert.ok(next && next !== nonce, 'a fresh nonce for the next session');

    // A replay of the accepted digest is refused: the device is known now, only its stored nonce counts.
    const replay = await post(
      server.url,
      from('alice-tablet', { sessionId: '9', locName: 'alice', cred: md5Cred(nonce) }),
    );
    assert.equal(hdrStatus(replay).code, 401);
    assert.equal(hdrStatus(replay).chal?.nextNonce, next, 'the device is challenged with its stored nonce');
    const nextSession = await post(
      server.url,
      from('alice-tablet', { sessionId: '10', locName: 'alice', cred: md5Cred(next) }),
    );
    assert.equal(hdrStatus(nextSession).code, 212, 'the next session authenticates with the nonce it was given');
  });
});
