/**
 * The Account dialog in Chromium (issue #19): an app password made in the browser is shown once,
 * opens DAV, shows its last use and is revoked with effect on the next DAV request; TOTP
 * two-factor login (RFC 6238) is set up from the dialog, then the login asks for the code and DAV
 * refuses the account password with a 401 that asks for an app password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { totpCode } from '../../src/domain/accounts/totp.js';
import { basic, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { until } from './page-helpers.js';

const dialog = (page: Page) => page.locator('dialog[aria-label="Account"]');

async function propfind(base: string, password: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/dav/calendars/alice/`, {
    method: 'PROPFIND',
    headers: { Authorization: basic('alice', password), Depth: '0' },
  });
  return { status: res.status, text: await res.text() };
}

async function openAccount(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'alice' }).click();
  await dialog(page).getByRole('heading', { name: 'App passwords' }).waitFor();
}

async function closeAccount(page: Page): Promise<void> {
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await dialog(page).waitFor({ state: 'detached' });
}

describe('web app: Account dialog — app passwords and two-factor login in Chromium (issue #19)', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  before(async () => {
    server = await startTestServer();
    session = await openBrowser();
    page = session.page;
    await logIn(page, server.url, 'alice', 'alice-pw');
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('an app password is made (shown once), opens DAV, shows its last use, and is revoked', async () => {
    await openAccount(page);
    const d = dialog(page);
    await d.getByText('No app passwords yet.').waitFor();
    await d.getByLabel('Device name').fill('Phone');
    await d.getByLabel('Used for').selectOption('dav');
    await d.getByRole('button', { name: 'Create' }).click();
    const password = (await d.locator('code.new-password').textContent()) ?? '';
    assert.match(password, /^[a-z2-9]{6}(-[a-z2-9]{6}){4}$/);
    await d.locator('li.app-password', { hasText: 'Phone' }).getByText('Last used: never').waitFor();
    assert.equal((await propfind(server.url, password)).status, 207);
    await closeAccount(page);

    await openAccount(page);
    const item = dialog(page).locator('li.app-password', { hasText: 'Phone' });
    await until(async () => !(await item.textContent())?.includes('never'), 'the last use is shown');
    assert.equal(await dialog(page).locator('code.new-password').count(), 0, 'the password is not shown again');
    await item.getByRole('button', { name: 'Revoke' }).click();
    await dialog(page).getByText('No app passwords yet.').waitFor();
    assert.equal((await propfind(server.url, password)).status, 401);
    await closeAccount(page);
  });

  it('two-factor login: set up with QR code and secret, then the login asks for the code', async () => {
    await openAccount(page);
    const d = dialog(page);
    await d.getByRole('button', { name: 'Set up' }).click();
    await d.getByRole('img', { name: 'QR code of the two-factor secret' }).waitFor();
    const secret = (await d.locator('code.totp-secret').textContent()) ?? '';
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match((await d.locator('.totp-uri').textContent()) ?? '', /^otpauth:\/\/totp\//);
    await d.getByLabel('Code').fill('000000');
    await d.getByRole('button', { name: 'Turn on' }).click();
    await d.getByText('Wrong or already used code.').waitFor();
    await d.getByLabel('Code').fill(totpCode(secret, Date.now() - 30_000));
    await d.getByRole('button', { name: 'Turn on' }).click();
    await d.getByText('Two-factor login is on.').waitFor();
    await closeAccount(page);

    const refused = await propfind(server.url, 'alice-pw');
    assert.equal(refused.status, 401);
    assert.match(refused.text, /use an app password/);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('alice-pw');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Two-factor login is on: enter the code from your authenticator app.').waitFor();
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForSelector('body[data-ready=true]');
  });
});
