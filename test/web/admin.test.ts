/**
 * The Admin section in Chromium (issue #19 item 6): shown to admins only; users with their
 * storage use, a new user with a generated password, a quota set in a user's dialog and met by
 * the next DAV write (RFC 4331 §6: 507), a device revoked, a group made with a member, a user
 * deleted after a confirmation — all keyboard-reachable controls with labels (axe: no serious
 * or critical violation).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { setAdmin } from '../../src/domain/accounts/admin.js';
import { createAppPassword } from '../../src/domain/accounts/app-passwords.js';
import { basic, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(
    "axe.run(document.querySelector('main'), { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help })))",
  )) as { id: string; impact: string; help: string }[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

const userDialog = (page: Page, name: string) => page.locator(`dialog[aria-label="User ${name}"]`);

describe('web app: Admin section in Chromium (issue #19 item 6)', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  before(async () => {
    server = await startTestServer();
    await setAdmin(server.store, 'alice', true);
    session = await openBrowser();
    page = session.page;
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('a user who is not an admin sees no Admin tab', async () => {
    await logIn(page, server.url, 'bob', 'bob-pw');
    assert.equal(await page.getByRole('tab', { name: 'Admin' }).count(), 0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('User name').waitFor();
  });

  it('users, a new user, a quota met by DAV, a revoked app password, a group, a deletion', async () => {
    const bob = (await server.store.getUserByName('bob'))!;
    await server.store.transaction([`app-passwords:${bob.id}`], (tx) =>
      createAppPassword(tx, { userId: bob.id, name: 'Bob phone', scopes: ['dav'] }),
    );
    await logIn(page, server.url, 'alice', 'alice-pw');
    await page.getByRole('tab', { name: 'Admin' }).click();
    const table = page.getByRole('table', { name: 'Users' });
    await table.locator('tr[data-user="bob"]').waitFor();
    assert.match((await table.locator('tr[data-user="bob"]').textContent()) ?? '', /local.*no limit.*\d+ B/);
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByLabel('User name').fill('carol');
    await page.getByLabel('Display name').first().fill('Carol');
    await page.getByRole('button', { name: 'Create user' }).click();
    // The list is redrawn with carol; the password, shown only once, must still be there after it.
    await table.locator('tr[data-user="carol"]').waitFor();
    const password = (await page.locator('code.new-password').textContent({ timeout: 2000 })) ?? '';
    assert.match(password, /^[A-Za-z0-9]{20}$/);

    // bob's dialog: a quota of 1 byte more than used, then his own write is refused.
    await table.locator('tr[data-user="bob"]').getByRole('button', { name: 'bob' }).click();
    const d = userDialog(page, 'bob');
    await d.getByRole('heading', { name: 'App passwords' }).waitFor();
    await d.getByLabel('Quota').fill('1');
    await d.getByRole('button', { name: 'Set quota' }).click();
    await page.locator('tr[data-user="bob"]', { hasText: '1 B' }).waitFor();
    const put = await fetch(`${server.url}/dav/calendars/bob/default/x.ics`, {
      method: 'PUT',
      headers: { Authorization: basic('bob', 'bob-pw'), 'Content-Type': 'text/calendar' },
      body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    });
    assert.equal(put.status, 507);
    await d
      .locator('li', { hasText: 'Bob phone' })
      .getByRole('button', { name: /Revoke/ })
      .click();
    await d.locator('li', { hasText: 'Bob phone' }).waitFor({ state: 'detached' });
    assert.deepEqual(await server.store.listAppPasswords(bob.id), []);
    await d.getByRole('button', { name: 'Close' }).click();
    await d.waitFor({ state: 'detached' });

    await page.getByLabel('Group name').fill('team');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByLabel('Add a member to team').selectOption('bob');
    // The member list, not the row: the row's "Add a member" choice names bob before he is one.
    await page.locator('tr[data-group="team"] span.member', { hasText: 'bob' }).waitFor();
    const team = await server.store.getGroupByName('team');
    assert.deepEqual(
      (await server.store.groupMembers(team!.id)).map((u) => u.name),
      ['bob'],
    );

    await table.locator('tr[data-user="carol"]').getByRole('button', { name: 'carol' }).click();
    const c = userDialog(page, 'carol');
    await c.getByRole('button', { name: 'Delete user' }).click();
    await page.locator('dialog[aria-label="Delete user"]').getByRole('button', { name: 'Delete user' }).click();
    await table.locator('tr[data-user="carol"]').waitFor({ state: 'detached' });
    assert.equal(await server.store.getUserByName('carol'), null);
  });
});
