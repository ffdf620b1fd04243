/**
 * Users from an IMAP server (issue #19), as Atmail did, against Debian's dovecot: a login the
 * IMAP server accepts (RFC 9051 §6.2.3 LOGIN) is an Almanac user, made on first login with an
 * address-shaped name as their calendar user address (RFC 6638 §2.4.1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startDovecot, type Dovecot } from '../../mail/helpers/dovecot.js';
import { login, loginResponse, propfindHome } from './app-api.js';

describe('IMAP directory (dovecot): login and provisioning', () => {
  let dovecot: Dovecot;
  let server: TestServer;
  before(async () => {
    dovecot = await startDovecot(); // any user, password `secret`
    server = await startTestServer({
      config: {
        directory: { kind: 'imap', imap: { host: '127.0.0.1', port: dovecot.port, tls: false, timeoutMs: 5000 } },
      },
    });
  });
  after(async () => {
    await server.close();
    await dovecot.stop();
  });

  it('a login dovecot accepts opens DAV and makes the user, the address being their calendar address', async () => {
    assert.equal((await propfindHome(server.url, 'dan@example.net', dovecot.password)).status, 207);
    const dan = await server.store.getUserByName('dan@example.net');
    assert.equal(dan?.directory, 'imap');
    assert.equal(dan?.email, 'dan@example.net');
    assert.ok(await server.store.getResource('/calendars/dan@example.net/default'), 'the default calendar exists');
  });

  it('a password dovecot refuses is a 401 (one failure only: dovecot slows each further one); the web login works', async () => {
    assert.equal((await loginResponse(server.url, { user: 'dan@example.net', password: 'wrong' })).status, 401);
    await login(server.url, 'dan@example.net', dovecot.password);
  });

  it('local users still log in with their own passwords', async () => {
    assert.equal((await propfindHome(server.url, 'bob', 'bob-pw')).status, 207);
  });
});
