/**
 * TOTP two-factor login (RFC 6238) for the web app (issue #19): set up from an otpauth:// URI,
 * turned on with a first code; then the login needs a code, a code is accepted once (§5.2), and
 * DAV accepts only app passwords — its 401 says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../../../src/domain/accounts/totp.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { appCall, login, loginResponse, propfindHome, type SessionHeaders } from './app-api.js';

const STEP = 30_000;

describe('RFC 6238 TOTP: two-factor web login, app passwords only for DAV', () => {
  let server: TestServer;
  let session: SessionHeaders;
  let secret = '';
  let appPassword = '';
  before(async () => {
    server = await startTestServer({
      config: { authThrottle: { accountFreeFailures: 100, addressFreeFailures: 100 } },
    });
    session = await login(server.url, 'alice', 'alice-pw');
    const made = await appCall<{ password: string }>(server.url, session, 'POST', '/app/app-passwords', {
      name: 'Phone',
      scopes: ['dav', 'syncml'],
    });
    appPassword = made.body.password;
  });
  after(async () => server.close());

  it('§4 setup: an otpauth:// URI with the secret and a QR code; a wrong first code leaves TOTP off', async () => {
    const setup = await appCall<{ secret: string; uri: string; qr: string }>(
      server.url,
      session,
      'POST',
      '/app/totp/setup',
    );
    assert.equal(setup.status, 200);
    secret = setup.body.secret;
    assert.match(secret, /^[A-Z2-7]{32}$/, '160-bit base32 secret');
    assert.match(setup.body.uri, /^otpauth:\/\/totp\/Almanac:alice\?/);
    assert.ok(setup.body.uri.includes(`secret=${secret}`));
    assert.match(setup.body.qr, /^data:image\/svg\+xml;base64,/);
    assert.equal((await appCall(server.url, session, 'POST', '/app/totp', { code: '000000' })).status, 400);
    assert.equal((await appCall<{ totp: boolean }>(server.url, session, 'GET', '/app/account')).body.totp, false);
  });

  it('turned on with a code (one step back: §5.2 drift); the account says so', async () => {
    // The account password is verified and remembered for DAV before TOTP goes on …
    assert.equal((await propfindHome(server.url, 'alice', 'alice-pw')).status, 207);
    const on = await appCall(server.url, session, 'POST', '/app/totp', { code: totpCode(secret, Date.now() - STEP) });
    assert.equal(on.status, 200);
    assert.equal((await appCall<{ totp: boolean }>(server.url, session, 'GET', '/app/account')).body.totp, true);
    const row = await server.store.getUserByName('alice');
    assert.ok(row?.totpSecret && !row.totpSecret.includes(secret), 'stored sealed');
  });

  it('login: the password alone asks for the code; a wrong code is refused; the right one logs in once', async () => {
    const first = await loginResponse(server.url, { user: 'alice', password: 'alice-pw' });
    assert.equal(first.status, 401);
    assert.equal(((await first.json()) as { totp?: boolean }).totp, true);
    const wrong = await loginResponse(server.url, { user: 'alice', password: 'alice-pw', code: '123456' });
    assert.equal(wrong.status, 401);
    const code = totpCode(secret);
    await login(server.url, 'alice', 'alice-pw', code);
    const replay = await loginResponse(server.url, { user: 'alice', password: 'alice-pw', code });
    assert.equal(replay.status, 401, '§5.2: the same code is not accepted twice');
    const badPassword = await loginResponse(server.url, { user: 'alice', password: 'nope', code: totpCode(secret) });
    assert.equal(badPassword.status, 401);
    assert.equal(((await badPassword.json()) as { totp?: boolean }).totp, undefined, 'no hint without the password');
  });

  it('DAV: the account password gets a 401 that asks for an app password; the app password works', async () => {
    // … and is refused now all the same: the remembered credential does not outlive TOTP going on.
    const refused = await propfindHome(server.url, 'alice', 'alice-pw');
    assert.equal(refused.status, 401);
    assert.match(refused.text, /two-factor authentication: use an app password/);
    assert.equal((await propfindHome(server.url, 'alice', appPassword)).status, 207);
    assert.equal((await propfindHome(server.url, 'bob', 'bob-pw')).status, 207, 'other users unaffected');
  });

  it('turned off with a current code: the account password opens DAV again', async () => {
    const off = await appCall(server.url, session, 'POST', '/app/totp/off', {
      code: totpCode(secret, Date.now() + STEP),
    });
    assert.equal(off.status, 200);
    assert.equal((await propfindHome(server.url, 'alice', 'alice-pw')).status, 207);
  });
});
