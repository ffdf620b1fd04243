/**
 * Web app login with OpenID Connect, in Chromium (issue #19): a real provider on 127.0.0.1
 * (test/helpers/oidc-provider.ts: discovery, JWKS, RS256 ID tokens, PKCE checked) signs the user
 * in; the user is provisioned by preferred_username and has a session like a password login;
 * DAV refuses any password but an app password, and says so. Refused: a wrong state, nonce or
 * audience, an expired ID token, one signed with a key not in the JWKS, and a claim naming a
 * local user. None of these makes a session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startOidcProvider, type OidcTestProvider, type Spoil } from '../helpers/oidc-provider.js';
import { basic, startTestServer, type TestServer } from '../helpers/server.js';
import { openBrowser, type Session } from './browser.js';

const BUTTON = 'Log in with Test IdP';

/** A fresh browser profile (no cookies) that clicks the provider's button on the login page. */
async function ssoAttempt(session: Session, base: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await session.browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(base);
  await page.getByRole('link', { name: BUTTON }).click();
  return { context, page };
}

async function sessionStatus(page: Page): Promise<number> {
  return page.evaluate(() => fetch('/app/session').then((r) => r.status));
}

/** DAV refuses carol's password-like guess with a 401 that names app passwords; one made in the app works. */
async function davOnlyWithAppPasswords(page: Page, base: string, csrf: string): Promise<void> {
  const refused = await fetch(`${base}/dav/calendars/carol/`, {
    method: 'PROPFIND',
    headers: { Authorization: basic('carol', 'anything'), Depth: '0' },
  });
  assert.equal(refused.status, 401);
  assert.match(await refused.text(), /single sign-on.*app password/);
  const made = await page.evaluate(async (csrf) => {
    const r = await fetch('/app/app-passwords', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Almanac-CSRF': csrf },
      body: JSON.stringify({ name: 'Laptop', scopes: ['dav'] }),
    });
    return (await r.json()) as { password: string };
  }, csrf);
  const ok = await fetch(`${base}/dav/calendars/carol/`, {
    method: 'PROPFIND',
    headers: { Authorization: basic('carol', made.password), Depth: '0' },
  });
  assert.equal(ok.status, 207);
  await ok.arrayBuffer();
}

/** What the provider gets wrong on purpose, each refused by openid-client. */
const refusals: [string, Spoil, RegExp][] = [
  ['a wrong state', { state: 'not-the-state-we-sent' }, /"state"/],
  ['a wrong nonce', { nonce: 'not-the-nonce-we-sent' }, /"nonce"/],
  ['a wrong audience', { aud: 'another-client' }, /"aud"/],
  ['an expired ID token', { expired: true }, /"exp"/],
  ['an ID token signed with a key not in the JWKS', { foreignKey: true }, /signature verification failed/],
];

/** The server's `--oidc-*` settings for the test provider. */
const oidcSettings = (issuer: string) =>
  ({
    issuer,
    clientId: 'almanac',
    clientSecret: 'client-secret',
    userClaim: 'preferred_username',
    label: 'Test IdP',
  }) as const;

/** The server's log lines (it runs in this process) while `run` runs. */
async function logged(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    await run();
  } finally {
    console.error = original;
  }
  return lines.join('\n');
}

describe('web app: log in with OpenID Connect — code flow with PKCE, state and nonce (issue #19)', () => {
  let server: TestServer, session: Session, idp: OidcTestProvider;
  before(async () => {
    idp = await startOidcProvider({ almanac: 'client-secret' }, { sub: 'u-1', preferred_username: 'carol' });
    server = await startTestServer({ config: { oidc: oidcSettings(idp.issuer) } });
    session = await openBrowser();
  });
  after(async () => {
    await session?.close();
    await server?.close();
    await idp?.close();
  });

  it('signs in through the provider: user provisioned, a session, DAV only with app passwords', async () => {
    idp.user = {
      sub: 'u-1',
      preferred_username: 'carol',
      email: 'carol@example.org',
      email_verified: true,
      name: 'Carol C',
    };
    const { context, page } = await ssoAttempt(session, server.url);
    await page.waitForSelector('body[data-ready=true]');
    const auth = idp.seen.lastAuthorization;
    assert.equal(auth?.get('code_challenge_method'), 'S256');
    assert.ok(auth?.get('state') && auth.get('nonce'), 'state and nonce are sent');
    assert.equal(auth?.get('redirect_uri'), `${server.url}/app/oidc/callback`);
    const who = await page.evaluate(() =>
      fetch('/app/session').then((r) => r.json() as Promise<{ user: string; csrf: string }>),
    );
    assert.equal(who.user, 'carol');
    const carol = await server.store.getUserByName('carol');
    assert.equal(carol?.directory, 'oidc');
    assert.equal(carol?.email, 'carol@example.org');
    assert.equal(carol?.displayName, 'Carol C');

    await davOnlyWithAppPasswords(page, server.url, who.csrf);
    await context.close();

    // A second login is the same user, not a new one.
    const again = await ssoAttempt(session, server.url);
    await again.page.waitForSelector('body[data-ready=true]');
    assert.equal((await server.store.listUsers()).filter((u) => u.name === 'carol').length, 1);
    await again.context.close();
  });

  for (const [what, spoil, reason] of refusals) {
    it(`refuses ${what}: back on the login page, no session`, async () => {
      idp.user = { sub: 'u-2', preferred_username: 'dave' };
      idp.next = { ...spoil };
      const log = await logged(async () => {
        const { context, page } = await ssoAttempt(session, server.url);
        await page.getByText('The login with Test IdP did not succeed.').waitFor();
        assert.equal(new URL(page.url()).search, '', 'the failure marker is taken out of the address');
        assert.equal(await sessionStatus(page), 401);
        await context.close();
      });
      assert.match(log, /oidc: login refused/);
      assert.match(log, reason, 'refused for this reason, not another');
      assert.equal(await server.store.getUserByName('dave'), null, 'nobody is provisioned');
    });
  }

  it('refuses a claim that names a local user: the provider does not take the account over', async () => {
    idp.user = { sub: 'u-3', preferred_username: 'alice' };
    const { context, page } = await ssoAttempt(session, server.url);
    await page.getByText('The login with Test IdP did not succeed.').waitFor();
    assert.equal(await sessionStatus(page), 401);
    assert.equal((await server.store.getUserByName('alice'))?.directory ?? null, null);
    await context.close();
  });

  it('refuses a callback without the login this browser started (login CSRF)', async () => {
    const res = await fetch(`${server.url}/app/oidc/callback?code=x&state=y`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/?login=oidc-failed');
    assert.equal(res.headers.get('set-cookie'), null);
  });
});
