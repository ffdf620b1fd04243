/**
 * Tasks as Nextcloud Tasks users expect them, in Chromium: subtasks (RELATED-TO, RFC 5545
 * §3.8.4.5 / RFC 9253) nested under their parent with "Add subtask", start and due dates,
 * categories (§3.8.1.2) to filter by, completion (§3.8.1.11, §3.8.2.1); tasks with a due date in
 * the calendar; and the top bar's search across events and tasks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page, Route } from 'playwright-core';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { objects, shot, until, vevent } from './page-helpers.js';

const CAL = '/dav/calendars/alice/default/';
type Win = { almanac: { calendar: { gotoDate(d: Date): void; changeView(v: string): void } } };

function vtodo(uid: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nextcloud Tasks v0.16//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('tasks in Chromium', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  const errors: string[] = [];
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');
  const put = async (name: string, body: string): Promise<void> => {
    const res = await alice()(`${CAL}${name}`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body });
    assert.equal(res.status, 201, await res.text());
  };
  /** Until one of the list's objects on the server matches every pattern. */
  const onServer = (what: string, patterns: readonly RegExp[], ms?: number): Promise<void> =>
    until(async () => (await objects(alice(), CAL)).some((o) => patterns.every((p) => p.test(o.body))), what, ms);
  const row = (title: string) =>
    page.locator('[data-testid=task]', { has: page.getByRole('button', { name: title, exact: true }) });

  before(async () => {
    server = await startTestServer();
    session = await openBrowser();
    page = session.page;
    page.on('pageerror', (err) => errors.push(err.message));
    await put(
      'house.ics',
      vtodo('house', ['SUMMARY:Renovate the house', 'CATEGORIES:Home', 'DUE;VALUE=DATE:20270320']),
    );
    // As Nextcloud Tasks writes a subtask: RELATED-TO without RELTYPE (the default is PARENT, RFC 5545 §3.2.15).
    await put(
      'paint.ics',
      vtodo('paint', ['SUMMARY:Paint the hall', 'RELATED-TO:house', 'CATEGORIES:Home,Weekend', 'PRIORITY:1']),
    );
    await put('taxes.ics', vtodo('taxes', ['SUMMARY:File the taxes', 'CATEGORIES:Office', 'DUE:20270315T160000Z']));
    await put(
      'lunch.ics',
      vevent('lunch', [
        'SUMMARY:Lunch with Quentin',
        'LOCATION:Zinnober bistro',
        'DTSTART:20270318T113000Z',
        'DTEND:20270318T123000Z',
      ]),
    );
    await logIn(page, server.url, 'alice', 'alice-pw');
    await page.getByRole('tab', { name: 'Tasks' }).click();
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('a subtask PUT by another client (RELATED-TO, §3.8.4.5) is shown nested under its parent, with its categories', async () => {
    await row('Paint the hall').waitFor();
    const rows = page.locator('[data-testid=task]');
    const titles = await rows.locator('.task-title').allTextContents();
    const at = titles.indexOf('Renovate the house');
    assert.equal(titles[at + 1], 'Paint the hall', `the subtask follows its parent (${titles.join(' | ')})`);
    assert.equal(await row('Paint the hall').getAttribute('data-depth'), '1');
    assert.equal(await row('Renovate the house').getAttribute('data-depth'), '0');
    assert.deepEqual(await row('Paint the hall').locator('[data-testid=category]').allTextContents(), [
      'Home',
      'Weekend',
    ]);
  });

  it('"Add subtask" writes RELATED-TO;RELTYPE=PARENT, DTSTART, DUE and CATEGORIES; the new task appears nested', async () => {
    await row('Renovate the house').getByRole('button', { name: 'Add subtask' }).click();
    const dialog = page.getByRole('dialog', { name: 'New subtask of Renovate the house' });
    await dialog.getByLabel('Title').fill('Buy tiles');
    await dialog.getByLabel('Start').fill('2027-03-10');
    await dialog.getByLabel('Due').fill('2027-03-12');
    await dialog.getByLabel('Categories').fill('Home, Shopping');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row('Buy tiles').waitFor();
    assert.equal(await row('Buy tiles').getAttribute('data-depth'), '1');
    let body = '';
    await until(async () => {
      body = (await objects(alice(), CAL)).find((o) => o.body.includes('SUMMARY:Buy tiles'))?.body ?? '';
      return body !== '';
    }, 'the subtask is on the server');
    assert.match(body, /RELATED-TO;RELTYPE=PARENT:house/);
    assert.match(body, /DTSTART;VALUE=DATE:20270310/);
    assert.match(body, /DUE;VALUE=DATE:20270312/);
    assert.match(body, /CATEGORIES:Home,Shopping/);
    await shot(page, 'tasks-subtasks');
  });

  it('categories are a filter: only the tasks of the chosen category are listed', async () => {
    const filter = page.getByLabel('Category');
    assert.deepEqual(await filter.locator('option').allTextContents(), [
      'All categories',
      'Home',
      'Office',
      'Shopping',
      'Weekend',
    ]);
    await filter.selectOption('Office');
    await until(async () => (await page.locator('[data-testid=task]').count()) === 1, 'one Office task');
    assert.equal(await page.locator('[data-testid=task] .task-title').textContent(), 'File the taxes');
    await filter.selectOption('');
    await until(async () => (await page.locator('[data-testid=task]').count()) === 4, 'all four tasks again');
  });

  it('editing categories keeps the rest; completing a subtask sets STATUS:COMPLETED, COMPLETED and PERCENT-COMPLETE:100', async () => {
    await page.getByRole('button', { name: 'Paint the hall', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    assert.equal(await dialog.getByLabel('Categories').inputValue(), 'Home, Weekend');
    await dialog.getByLabel('Categories').fill('Home');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await onServer('categories saved, parent kept', [
      /SUMMARY:Paint the hall/,
      /CATEGORIES:Home\r\n/,
      /RELATED-TO;RELTYPE=PARENT:house/,
    ]);
    await page.getByLabel('Complete Paint the hall').click();
    await onServer('the subtask is completed on the server', [
      /SUMMARY:Paint the hall/,
      /STATUS:COMPLETED/,
      /\r\nCOMPLETED:\d{8}T\d{6}Z/,
      /PERCENT-COMPLETE:100/,
    ]);
  });

  it('a save and at once a completion of one task are two writes in a row: no false 412, the completion keeps the edit (RFC 9110 §13.1.1)', async () => {
    await put('stairs.ics', vtodo('stairs', ['SUMMARY:Sweep the stairs', 'CATEGORIES:Home']));
    await row('Sweep the stairs').waitFor();
    // Every REPORT the app sends to the list is held 1.5 s and every PUT to it 1 s, so neither the
    // save's answer nor the sync after it is in when Complete is clicked (as on a slow network):
    // the completion must still be made on the saved version and sent with its ETag. (Without the
    // held PUT, whether Complete came before its answer was up to the machine's load.)
    const held = `**${CAL}`;
    const heldObjects = `**${CAL}*.ics`;
    const hold = async (route: Route): Promise<void> => {
      const method = route.request().method();
      if (method === 'REPORT') await delay(1500);
      if (method === 'PUT') await delay(1000);
      // After the test the route may be gone (unrouted, the page closed): nothing to continue then.
      await route.continue().catch(() => undefined);
    };
    await page.route(held, hold);
    await page.route(heldObjects, hold);
    try {
      await page.getByRole('button', { name: 'Sweep the stairs', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await dialog.getByLabel('Categories').fill('Home, Stairs');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByLabel('Complete Sweep the stairs').click();
      await onServer(
        'the edit and the completion both on the server',
        [/SUMMARY:Sweep the stairs/, /CATEGORIES:Home,Stairs\r\n/, /STATUS:COMPLETED/],
        10_000,
      );
      assert.equal(await page.getByRole('dialog').count(), 0, 'no dialog');
    } finally {
      await page.unroute(held, hold);
      await page.unroute(heldObjects, hold);
    }
  });

  it('keyboard shortcuts on the Tasks tab: n goes to the new-task field, ? lists the keys', async () => {
    await page.locator('.tasks-view .view-header h2, .view-header h2').first().click();
    await page.keyboard.press('n');
    assert.equal(await page.evaluate('document.activeElement?.getAttribute("name")'), 'new-task');
    await page.keyboard.type('Call the plumber');
    await page.keyboard.press('Enter');
    await row('Call the plumber').waitFor();
    await page.locator('.view-header h2').first().click();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('New task').waitFor();
    await help.getByRole('button', { name: 'Close' }).click();
  });

  it('tasks with a due date appear in the calendar on their due day, styled apart; a click opens the task', async () => {
    await page.getByRole('tab', { name: 'Calendar' }).click();
    await page.evaluate(() => {
      const { calendar } = (globalThis as unknown as Win).almanac;
      calendar.changeView('dayGridMonth');
      calendar.gotoDate(new Date('2027-03-15T12:00:00'));
    });
    const due = page.locator('[data-testid=task-due]', { hasText: 'File the taxes' });
    await due.waitFor();
    const cell = page.locator('.fc-daygrid-day[data-date="2027-03-15"]');
    assert.equal(await cell.locator('[data-testid=task-due]', { hasText: 'File the taxes' }).count(), 1, 'on 15 March');
    assert.equal(
      await page
        .locator('.fc-daygrid-day[data-date="2027-03-20"] [data-testid=task-due]', { hasText: 'Renovate the house' })
        .count(),
      1,
      'a DATE due on its day',
    );
    assert.equal(
      await page.locator('[data-testid=task-due]', { hasText: 'Paint the hall' }).count(),
      0,
      'no due date, not in the calendar',
    );
    await shot(page, 'calendar-tasks');
    await due.click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Title').inputValue(), 'File the taxes');
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash),
      '#tasks',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('search finds events by location and tasks by category, and jumps to them', async () => {
    const search = page.getByLabel('Search events and tasks');
    await search.fill('zinnober');
    const result = page.locator('[data-testid=search-result]');
    await until(async () => (await result.count()) === 1, 'one result for the location');
    assert.equal(await result.getAttribute('data-kind'), 'event');
    await result.click();
    const editor = page.getByRole('dialog').filter({ has: page.getByPlaceholder('Add title') });
    await editor.waitFor();
    assert.equal(await editor.getByPlaceholder('Add title').inputValue(), 'Lunch with Quentin');
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash),
      '#calendar',
    );
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    assert.equal(
      await page.locator('.fc-daygrid-day[data-date="2027-03-18"]').count(),
      1,
      "the calendar went to the event's month",
    );
    await search.fill('office');
    await until(
      async () => (await result.count()) === 1 && (await result.getAttribute('data-kind')) === 'task',
      'the task by its category',
    );
    await result.click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Title').inputValue(), 'File the taxes');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(errors, []);
  });
});
