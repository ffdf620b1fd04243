import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { davFetch } from '../helpers/server.js';
import { SCREENSHOTS } from './browser.js';

/** Poll a condition (the page's CSP forbids Playwright's string-evaluated waitForFunction). */
export async function until(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Quiet = {
  document: { querySelector(sel: string): unknown };
  MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void; disconnect(): void };
};

/**
 * Resolves once nothing under `selector` has changed for `quietMs`: the app draws its grid again
 * for each sync a save sets off, and an element found before that redraw is gone after it.
 */
export async function settled(page: Page, selector: string, quietMs = 300, ms = 5000): Promise<void> {
  const quiet = await page.evaluate(
    ([sel, q, limit]) =>
      new Promise<boolean>((resolve) => {
        const w = globalThis as unknown as Quiet;
        const root = w.document.querySelector(sel as string);
        if (!root) return resolve(false);
        let timer = setTimeout(done, q as number, true);
        const cap = setTimeout(done, limit as number, false);
        const watch = new w.MutationObserver(() => {
          clearTimeout(timer);
          timer = setTimeout(done, q as number, true);
        });
        function done(ok: boolean): void {
          watch.disconnect();
          clearTimeout(timer);
          clearTimeout(cap);
          resolve(ok);
        }
        watch.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
      }),
    [selector, quietMs, ms] as const,
  );
  assert.ok(quiet, `${selector} is on the page and stays unchanged for ${quietMs} ms within ${ms} ms`);
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Every object of a collection, by GET of each member PROPFIND lists. */
export async function objects(
  fetchAs: ReturnType<typeof davFetch>,
  collection: string,
): Promise<{ href: string; body: string }[]> {
  const res = await fetchAs(collection, {
    method: 'PROPFIND',
    headers: { Depth: '1' },
    body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
  });
  assert.equal(res.status, 207);
  const hrefs = [...(await res.text()).matchAll(/<D:href>([^<]+)<\/D:href>/g)]
    .map((m) => m[1]!)
    .filter((h) => !h.endsWith('/'));
  return Promise.all(hrefs.map(async (href) => ({ href, body: await (await fetchAs(href)).text() })));
}

/** A one-event iCalendar object (CRLF lines). */
export function vevent(uid: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Calendar UI//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** Add another DAV account through the sidebar's "+ Add another server" dialog. */
export async function addOtherServer(
  page: Page,
  name: string,
  url: string,
  user: string,
  password: string,
): Promise<void> {
  await page.getByRole('button', { name: '+ Add another server' }).click();
  const d = page.getByRole('dialog', { name: 'Add another server' });
  await d.getByLabel('Name', { exact: true }).fill(name);
  await d.getByLabel('Server address').fill(url);
  await d.getByLabel('User name').fill(user);
  await d.getByLabel('Password').fill(password);
  await d.getByRole('button', { name: 'Add' }).click();
}

type CalendarWin = { almanac: { calendar: { gotoDate(d: Date): void; changeView(v: string): void } } };

/** Go to a calendar view and date through the app's own handle. */
export async function goTo(page: Page, view: string, iso: string): Promise<void> {
  await page.evaluate(
    ([v, d]) => {
      const { calendar } = (globalThis as unknown as CalendarWin).almanac;
      calendar.changeView(v!);
      calendar.gotoDate(new Date(`${d}T12:00:00`));
    },
    [view, iso],
  );
}
