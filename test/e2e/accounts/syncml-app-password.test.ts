/**
 * SyncML with app passwords (issue #19): a SyncML-scoped app password authenticates a session
 * (SyncHdr Status 212), a DAV-only one is refused (401), a revoked one is refused on the next
 * session; with TOTP on the account password is refused and no md5 challenge is offered for it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppPassword } from '../../../src/domain/accounts/app-passwords.js';
import type { AppPasswordScope } from '../../../src/store/types.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { alert, basicCred, message, post, statuses } from '../../syncml/http-client.js';

describe('SyncML sessions with app passwords', () => {
  let server: TestServer;
  let session = 0;
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw' } });
  });
  after(async () => server.close());

  const make = async (scopes: AppPasswordScope[]): Promise<{ id: string; password: string }> => {
    const alice = (await server.store.getUserByName('alice'))!;
    const made = await server.store.transaction(['app-passwords'], (tx) =>
      createAppPassword(tx, { userId: alice.id, name: 'Nokia', scopes }),
    );
    return { id: made.appPassword.id, password: made.password };
  };

  /** The SyncHdr status of a first message with syncml:auth-basic credentials. */
  const hdrStatus = async (password: string): Promise<number | undefined> => {
    session += 1;
    const answer = await post(
      server.url,
      message({
        device: `IMEI:35000000000000${session}`,
        sessionId: String(session),
        msgId: '1',
        cred: basicCred('alice', password),
        commands: [alert('1', './contacts', 200)],
      }),
    );
    return statuses(answer.msg, 'SyncHdr')[0];
  };

  it('a SyncML-scoped app password authenticates (212); a DAV-only one is refused (401)', async () => {
    assert.equal(await hdrStatus((await make(['syncml'])).password), 212);
    assert.equal(await hdrStatus((await make(['dav'])).password), 401);
  });

  it('revoked: the next session is refused', async () => {
    const p = await make(['syncml']);
    assert.equal(await hdrStatus(p.password), 212);
    const alice = (await server.store.getUserByName('alice'))!;
    await server.store.transaction(['app-passwords'], (tx) => tx.deleteAppPassword(alice.id, p.id));
    assert.equal(await hdrStatus(p.password), 401);
  });

  it('TOTP on: the account password is refused, an app password still works', async () => {
    const p = await make(['dav', 'syncml']);
    const alice = (await server.store.getUserByName('alice'))!;
    await server.store.transaction(['totp'], (tx) => tx.updateUser(alice.id, { totpSecret: 'v1.stand-in' }));
    assert.equal(await hdrStatus('alice-pw'), 401);
    assert.equal(await hdrStatus(p.password), 212);
  });
});
