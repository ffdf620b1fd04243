/**
 * DS Protocol 1.2 §6.1 (Alert names the server database), RepPro 1.2 §10 (404 not found, 425
 * permission denied): an authenticated user reaches only her own collections over SyncML.
 * Naming another user's database in any path form the datastore resolver sees — absolute,
 * relative, with the /dav prefix, as a URL, through an operator route — neither reads nor
 * writes that user's data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncmlPorts } from '../../src/domain/syncml/index.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { alert, basicCred, message, post, sentItems, statuses, syncAdd, vcard } from './http-client.js';

/** Ways of naming bob's address book. */
const BOB_FORMS = [
  '/addressbooks/bob/default',
  'addressbooks/bob/default',
  './addressbooks/bob/default',
  '/dav/addressbooks/bob/default/',
  'http://127.0.0.1/dav/addressbooks/bob/default',
  '/addressbooks/bob',
  '../bob/contacts',
  'bob/contacts',
  '/calendars/bob/default',
];

describe("RepPro 1.2 §10: SyncML reaches only the authenticated user's own collections", () => {
  let server: TestServer;
  const bob = () => davFetch(server.url, 'bob');

  async function bobMembers(): Promise<string[]> {
    const res = await bob()('/dav/addressbooks/bob/default/', { method: 'PROPFIND', headers: { Depth: '1' } });
    return [...new Set((await res.text()).match(/[\w-]+\.vcf/g) ?? [])];
  }

  before(async () => {
    server = await startTestServer();
    const put = await bob()('/dav/addressbooks/bob/default/bob.vcf', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/vcard' },
      body: vcard('bob-1', 'Bob Secret'),
    });
    assert.equal(put.status, 201);
  });
  after(async () => server.close());

  it("an Alert naming bob's database in any form is 404, and a Sync or Add to it is refused", async () => {
    const cred = basicCred('alice', 'alice-pw');
    const p1 = await post(
      server.url,
      message({
        device: 'alice-dev',
        sessionId: '1',
        msgId: '1',
        cred,
        commands: BOB_FORMS.map((f, i) => alert(String(i + 1), f, 201)),
      }),
    );
    assert.deepEqual(statuses(p1.msg, 'SyncHdr'), [212]);
    assert.deepEqual(
      statuses(p1.msg, 'Alert'),
      BOB_FORMS.map(() => 404),
    );
    const p3 = await post(
      server.url,
      message({
        device: 'alice-dev',
        sessionId: '1',
        msgId: '2',
        commands: BOB_FORMS.map((f, i) => syncAdd(String(i + 1), f, `l${i}`, vcard(`evil-${i}`, 'Evil'))),
      }),
      p1.next,
    );
    assert.deepEqual(statuses(p3.msg, 'SyncHdr'), [200]);
    assert.deepEqual(
      statuses(p3.msg, 'Sync'),
      BOB_FORMS.map(() => 404),
    );
    assert.deepEqual(
      statuses(p3.msg, 'Add'),
      BOB_FORMS.map(() => 404),
    );
    assert.deepEqual(sentItems(p3.msg), []);
    assert.deepEqual(await bobMembers(), ['bob.vcf']);
  });

  it("an operator route of alice's device to bob's collection is 425: nothing of bob is sent or written", async () => {
    const { state } = syncmlPorts(server.store);
    const alice = await server.store.getUserByName('alice');
    assert.ok(alice);
    await state.putDevice({
      userId: alice.id,
      deviceId: 'alice-routed',
      info: JSON.stringify({ routes: { contacts: '/addressbooks/bob/default' } }),
      createdAt: Date.now(),
      lastSyncAt: null,
    });
    const cred = basicCred('alice', 'alice-pw');
    const p1 = await post(
      server.url,
      message({ device: 'alice-routed', sessionId: '1', msgId: '1', cred, commands: [alert('1', 'contacts', 201)] }),
    );
    assert.deepEqual(statuses(p1.msg, 'Alert'), [425]);
    const p3 = await post(
      server.url,
      message({
        device: 'alice-routed',
        sessionId: '1',
        msgId: '2',
        commands: [syncAdd('1', 'contacts', 'l1', vcard('evil-r', 'Evil'))],
      }),
      p1.next,
    );
    assert.deepEqual(statuses(p3.msg, 'Add'), [404]);
    assert.doesNotMatch(new TextDecoder().decode(p3.raw), /Bob Secret/);
    assert.deepEqual(await bobMembers(), ['bob.vcf']);
  });
});
