/** Small helpers of the sync/offline/import browser tests. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** Poll a condition (the page's CSP forbids Playwright's string-evaluated waitForFunction). */
export async function waitUntil(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The hrefs a PROPFIND Depth 1 lists under `collection` whose names end in `suffix`. */
export function memberHrefs(multistatus: string, suffix: string): string[] {
  return [...multistatus.matchAll(/<(?:[A-Za-z]+:)?href>([^<]+)<\/(?:[A-Za-z]+:)?href>/g)]
    .map((m) => m[1]!)
    .filter((h) => h.endsWith(suffix));
}

/** Click an event's Delete; confirm it if the app asks. */
export async function deleteOpenEvent(page: Page): Promise<void> {
  const editor = page.getByRole('dialog', { name: 'Edit event' });
  await editor.getByRole('button', { name: 'Delete' }).click();
  await editor.waitFor({ state: 'detached' });
  // The app asks before deleting; its dialog opens after the editor closes, so wait for it
  // rather than look once (looking once raced with it: the delete was then never confirmed).
  const confirm = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Delete' }) });
  if (
    await confirm.waitFor({ timeout: 3000 }).then(
      () => true,
      () => false,
    )
  )
    await confirm.getByRole('button', { name: 'Delete' }).click();
}
