import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/server.js';

/** Debian's Chromium; never a browser downloaded by Playwright. */
const CHROMIUM = process.env.ALMANAC_CHROMIUM ?? '/usr/bin/chromium';

export interface Session {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (flags as this machine needs them: no sandbox as root, no background network). */
export async function openBrowser(viewport = { width: 1280, height: 860 }): Promise<Session> {
  // Playwright gives every launch a fresh, empty profile of its own (it refuses --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => console.error('page error:', err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('page console:', m.text());
  });
  return {
    browser,
    context,
    page,
    async close() {
      await browser.close();
    },
  };
}

/** Log in through the form and wait until the collections are loaded. */
export async function logIn(page: Page, base: string, user: string, password: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForSelector('body[data-live=true]');
}

export const SCREENSHOTS = process.env.ALMANAC_SCREENSHOTS ?? 'docs/screenshots';

/** A test server, Chromium, and `alice` logged in: what most web test files start with. */
export async function loggedInServer(
  options: TestServerOptions = {},
): Promise<{ server: TestServer; session: Session; page: Page; close(): Promise<void> }> {
  const server = await startTestServer(options);
  const session = await openBrowser();
  await logIn(session.page, server.url, 'alice', 'alice-pw');
  return {
    server,
    session,
    page: session.page,
    async close() {
      await session.close();
      await server.close();
    },
  };
}
