/**
 * web-contacts-open and web-contacts-keystroke: the browser app with the data set's number of
 * contacts (M) in one address book, in Debian's Chromium. After the first visit has synced every
 * card into IndexedDB, the page is reloaded (warm cache); then the Contacts tab is opened several
 * times and four searches are typed one key at a time, each timed in the page to the frame that
 * shows the answer. Was the 300 ms median of test/web/contacts-scale.test.ts.
 *
 * A client-side figure: it runs against an in-process test server of its own, seeded through
 * `almanac import`'s code path. Without Chromium both phases are skipped.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { importVcards } from '../../src/cli/contacts-io.js';
import { startTestServer, type TestServer } from '../../test/helpers/server.js';
import { logIn, openBrowser, type Session } from '../../test/web/browser.js';
import { book, fmt, openContactsTab, typeQuery } from '../../test/web/contacts-page.js';
import { summarize } from '../client.js';
import type { PhaseResult } from './common.js';

export const WEB_CONTACTS_OPEN = 'web-contacts-open';
export const WEB_CONTACTS_KEYSTROKE = 'web-contacts-keystroke';
const OPENS = 7;
const QUERIES = ['müller 1', 'zoe', 'jürgen.4', 'climb'];
const CHROMIUM = process.env.ALMANAC_CHROMIUM ?? '/usr/bin/chromium';

/** Log in (the first visit syncs every card), then reload with the cache warm. */
async function warmApp(page: Page, server: TestServer, n: number): Promise<void> {
  page.setDefaultTimeout(600_000);
  await logIn(page, server.url, 'alice', 'alice-pw');
  const indexed = page.locator(`body[data-contacts="${n}"]`);
  await indexed.waitFor({ state: 'attached', timeout: 600_000 });
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
  await indexed.waitFor({ state: 'attached', timeout: 120_000 });
  page.setDefaultTimeout(20_000);
}

async function timeOpens(page: Page): Promise<number[]> {
  const opens: number[] = [];
  for (let i = 0; i < OPENS; i++) {
    await page.getByRole('tab', { name: 'Calendar' }).click();
    await page.waitForTimeout(100);
    opens.push(await openContactsTab(page));
  }
  return opens;
}

async function timeKeystrokes(page: Page): Promise<number[]> {
  const keys: number[] = [];
  for (const q of QUERIES) {
    await page.getByLabel('Search contacts').fill('');
    await page.waitForTimeout(50);
    keys.push(...(await typeQuery(page, q)).times);
  }
  return keys;
}

const phase = (name: string, times: number[], seconds: number): PhaseResult => ({
  phase: name,
  status: 'ok',
  stats: summarize(times, 0, 0, seconds, 0, false),
  problems: [],
});

export async function runWebContacts(contacts: number, log: (line: string) => void): Promise<PhaseResult[]> {
  const names = [WEB_CONTACTS_OPEN, WEB_CONTACTS_KEYSTROKE];
  if (!existsSync(CHROMIUM))
    return names.map((p) => ({ phase: p, status: 'skipped', problems: [], note: `no Chromium at ${CHROMIUM}` }));
  let server: TestServer | undefined;
  let session: Session | undefined;
  try {
    server = await startTestServer();
    const imported = await importVcards(server.store, 'alice', 'default', book(contacts), () => {});
    if (imported.imported !== contacts) throw new Error(`imported ${imported.imported} of ${contacts} cards`);
    session = await openBrowser();
    await warmApp(session.page, server, contacts);
    let t0 = performance.now();
    const opens = await timeOpens(session.page);
    const open = phase(WEB_CONTACTS_OPEN, opens, (performance.now() - t0) / 1000);
    t0 = performance.now();
    const keys = await timeKeystrokes(session.page);
    const keystroke = phase(WEB_CONTACTS_KEYSTROKE, keys, (performance.now() - t0) / 1000);
    log(`  web contacts (${contacts} cards): open ${fmt(opens)}; keystroke ${fmt(keys)}`);
    return [open, keystroke];
  } catch (err) {
    return names.map((p) => ({
      phase: p,
      status: 'failed',
      problems: [],
      note: String((err as Error).message ?? err),
    }));
  } finally {
    await session?.close();
    await server?.close();
  }
}
