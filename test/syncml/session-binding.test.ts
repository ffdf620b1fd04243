/**
 * A SyncML session belongs to whoever holds the secret the server put in its RespURI (digest §1,
 * DS Protocol 1.2 §6): device ID (SyncHdr Source LocURI) and SessionID are the client's own,
 * guessable choices. A message without the secret — even one repeating both — is a new session
 * that must authenticate (RepPro 1.2 §5.1.2, digest §4: 407), and it never reaches the owner's
 * session, its cached reply or its data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { alert, basicCred, message, post, sentItems, statuses, syncAdd, vcard, type Answer } from './http-client.js';

const DEVICE = 'alice-phone';
const SESSION = '42';
const dataOf = (m: Answer['msg']): string =>
  sentItems(m)
    .map((i) => (typeof i.data === 'string' ? i.data : ''))
    .join('');

describe('digest §1: a SyncML session is bound to its RespURI secret, not to device ID + SessionID', () => {
  let server: TestServer;
  let owner: Answer;

  before(async () => {
    server = await startTestServer();
    const put = await davFetch(server.url)('/dav/addressbooks/alice/default/secret.vcf', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/vcard' },
      body: vcard('secret-1', 'Alice Secret'),
    });
    assert.equal(put.status, 201);
    // The owner authenticates and asks for a slow sync of her contacts (package 1).
    owner = await post(
      server.url,
      message({
        device: DEVICE,
        sessionId: SESSION,
        msgId: '1',
        cred: basicCred('alice', 'alice-pw'),
        commands: [alert('1', 'contacts', 201)],
      }),
    );
    assert.deepEqual(statuses(owner.msg, 'SyncHdr'), [212]);
    assert.match(owner.next, /\?sid=[\w-]{22}$/, 'the RespURI carries a 128-bit secret');
  });
  after(async () => server.close());

  it('a stranger repeating device ID and SessionID without the secret gets 407 and a new session; its Add is not applied', async () => {
    const r = await post(
      server.url,
      message({
        device: DEVICE,
        sessionId: SESSION,
        msgId: '2',
        commands: [syncAdd('1', 'contacts', 'evil-1', vcard('evil', 'Evil'))],
      }),
    );
    assert.deepEqual(statuses(r.msg, 'SyncHdr'), [407]);
    assert.deepEqual(statuses(r.msg, 'Sync'), [215], 'not executed');
    assert.deepEqual(sentItems(r.msg), [], 'nothing of the owner is sent');
    assert.notEqual(r.next, owner.next, 'a new session, with its own secret');
  });

  it('the cached reply of a resent message is not returned without the secret', async () => {
    const r = await post(
      server.url,
      message({ device: DEVICE, sessionId: SESSION, msgId: '1', commands: [alert('1', 'contacts', 201)] }),
    );
    assert.deepEqual(statuses(r.msg, 'SyncHdr'), [407]);
    assert.notDeepEqual(r.raw, owner.raw);
    assert.ok(!new TextDecoder().decode(r.raw).includes(owner.next), "the owner's RespURI is not disclosed");
  });

  it('a guessed secret of the right shape names no session: 407', async () => {
    const r = await post(
      server.url,
      message({
        device: DEVICE,
        sessionId: SESSION,
        msgId: '2',
        commands: [syncAdd('1', 'contacts', 'evil-2', vcard('evil2', 'Evil'))],
      }),
      '/syncml?sid=AAAAAAAAAAAAAAAAAAAAAA',
    );
    assert.deepEqual(statuses(r.msg, 'SyncHdr'), [407]);
  });

  it('with the secret the owner continues her session undisturbed and alone receives her data', async () => {
    const pkg3 = await post(
      server.url,
      message({
        device: DEVICE,
        sessionId: SESSION,
        msgId: '2',
        commands: [
          { kind: 'Sync', cmdId: '1', target: { locURI: 'contacts' }, source: { locURI: './contacts' }, commands: [] },
        ],
      }),
      owner.next,
    );
    assert.deepEqual(statuses(pkg3.msg, 'SyncHdr'), [200]);
    assert.match(dataOf(pkg3.msg), /Alice Secret/);
    assert.doesNotMatch(dataOf(pkg3.msg), /Evil/);
    const list = await davFetch(server.url)('/dav/addressbooks/alice/default/', {
      method: 'PROPFIND',
      headers: { Depth: '1' },
    });
    const members = (await list.text()).match(/[\w-]+\.vcf/g) ?? [];
    assert.deepEqual([...new Set(members)], ['secret.vcf'], "the stranger's Adds never reached the address book");
  });
});
