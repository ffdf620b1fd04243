/**
 * The web app end to end in a real browser (Debian's Chromium driven by playwright-core):
 * it is a CalDAV/CardDAV client of Almanac, live-updated by change notices, and of another
 * server (Radicale) through the relay.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { basic, davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, SCREENSHOTS, type Session } from './browser.js';
import { startRadicale, type Radicale } from './radicale.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const now = new Date();
const ym = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
const ymCompact = ym.replace('-', '');

/** Every object of a collection, by GET of each member PROPFIND lists. */
async function objects(fetchAs: ReturnType<typeof davFetch>, collection: string): Promise<{ href: string; body: string }[]> {
  const res = await fetchAs(collection, { method: 'PROPFIND', headers: { Depth: '1' }, body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>' });
  assert.equal(res.status, 207);
  const hrefs = [...(await res.text()).matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]!).filter((h) => !h.endsWith('/'));
  return Promise.all(hrefs.map(async (href) => ({ href, body: await (await fetchAs(href)).text() })));
}

/** Poll a condition (the page's CSP forbids Playwright's string-evaluated waitForFunction). */
async function until(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe('web app in Chromium', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');

  before(async () => {
    server = await startTestServer({ config: { relayAllowPrivate: true } });
    session = await openBrowser();
    page = session.page;
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('logs in with the DAV password; the session cookie is HttpOnly and SameSite=Strict', async () => {
    await logIn(page, server.url, 'alice', 'alice-pw');
    const cookie = (await session.context.cookies()).find((c) => c.name === 'almanac_session');
    assert.ok(cookie, 'a session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    await page.waitForSelector('.fc-daygrid-body');
    assert.ok(await page.getByText('Calendar', { exact: true }).first().isVisible());
  });

  it('refuses a cookie-authenticated DAV write without the CSRF header', async () => {
    const status = await page.evaluate(async () => (await fetch('/dav/calendars/alice/default/forged.ics', { method: 'PUT', body: 'x', headers: { 'Content-Type': 'text/calendar' } })).status);
    assert.equal(status, 403);
  });

  it('creates a weekly recurring event that a CalDAV client then reads', async () => {
    await page.locator(`td.fc-daygrid-day[data-date="${ym}-10"]`).click({ position: { x: 30, y: 40 } });
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.getByPlaceholder('Add title').fill('Team standup');
    await dialog.getByLabel('All day').uncheck();
    await dialog.getByLabel('Starts', { exact: true }).fill(`${ym}-10T09:30`);
    await dialog.getByLabel('Ends', { exact: true }).fill(`${ym}-10T10:00`);
    await dialog.getByLabel('Location').fill('Room 4');
    await dialog.getByLabel('Repeats').selectOption('WEEKLY');
    await dialog.getByLabel('Repeat ends').selectOption('count');
    await dialog.getByLabel('Occurrences').fill('5');
    await shot(page, 'event-editor');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid=event]', { hasText: 'Team standup' }).first().waitFor();

    const stored = (await objects(alice(), '/dav/calendars/alice/default/')).find((o) => o.body.includes('SUMMARY:Team standup'));
    assert.ok(stored, 'the event is on the server');
    assert.match(stored.body, /RRULE:FREQ=WEEKLY;[^\r\n]*COUNT=5/);
    assert.match(stored.body, /RRULE:[^\r\n]*BYDAY=[A-Z]{2}\b/);
    assert.match(stored.body, new RegExp(`DTSTART;TZID=Europe/Berlin:${ymCompact}10T093000`));
    assert.match(stored.body, /BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/);
    assert.ok(stored.href.endsWith('.ics'));
  });

  it('shows an event PUT by another CalDAV client within 2 seconds, without reload', async () => {
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Thunderbird-like//EN', 'BEGIN:VEVENT', 'UID:pushed-1@example.com',
      `DTSTAMP:${ymCompact}01T000000Z`, `DTSTART:${ymCompact}15T120000Z`, `DTEND:${ymCompact}15T130000Z`, 'SUMMARY:Pushed from Thunderbird', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const marker = await page.evaluate(() => performance.now());
    const put = await alice()('/dav/calendars/alice/default/pushed-1.ics', { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: ics });
    assert.equal(put.status, 201);
    const started = Date.now();
    await page.locator('[data-testid=event]', { hasText: 'Pushed from Thunderbird' }).first().waitFor({ timeout: 2000 });
    assert.ok(Date.now() - started < 2000, `appeared after ${Date.now() - started} ms`);
    const reloaded = await page.evaluate(`performance.getEntriesByType('navigation').some((n) => n.startTime > ${marker})`);
    assert.equal(reloaded, false, 'the page was not reloaded');
    await shot(page, 'calendar-month');
  });

  it('edits one occurrence: the server holds an override with RECURRENCE-ID, the series is unchanged', async () => {
    await page.locator('[data-testid=event]', { hasText: 'Team standup' }).nth(1).click();
    const dialog = page.getByRole('dialog', { name: 'Edit event' });
    await dialog.getByPlaceholder('Add title').fill('Standup (moved)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog', { name: 'Change repeating event' }).getByRole('button', { name: 'This event' }).click();
    await page.locator('[data-testid=event]', { hasText: 'Standup (moved)' }).first().waitFor();
    const stored = (await objects(alice(), '/dav/calendars/alice/default/')).find((o) => o.body.includes('SUMMARY:Team standup'));
    assert.ok(stored);
    assert.match(stored.body, /RECURRENCE-ID;TZID=Europe\/Berlin:\d{8}T093000/);
    assert.match(stored.body, /SUMMARY:Standup \(moved\)/);
    assert.match(stored.body, /RRULE:FREQ=WEEKLY;[^\r\n]*COUNT=5/);
    assert.equal(await page.locator('[data-testid=event]', { hasText: 'Standup (moved)' }).count(), 1);
  });

  it('edits this and following: the series ends before, a new series starts there', async () => {
    await page.locator('[data-testid=event]', { hasText: 'Team standup' }).nth(1).click();
    const dialog = page.getByRole('dialog', { name: 'Edit event' });
    await dialog.getByPlaceholder('Add title').fill('Late standup');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog', { name: 'Change repeating event' }).getByRole('button', { name: 'This and following' }).click();
    await page.locator('[data-testid=event]', { hasText: 'Late standup' }).first().waitFor();
    const all = await objects(alice(), '/dav/calendars/alice/default/');
    const old = all.find((o) => o.body.includes('SUMMARY:Team standup'));
    const split = all.find((o) => o.body.includes('SUMMARY:Late standup'));
    assert.ok(old && split);
    assert.match(old.body, /RRULE:FREQ=WEEKLY;[^\r\n]*UNTIL=\d{8}T\d{6}Z/);
    assert.doesNotMatch(old.body, /RRULE:[^\r\n]*COUNT=/);
    assert.match(split.body, /RRULE:FREQ=WEEKLY/);
    assert.match(split.body, /RELATED-TO:/);
  });

  it('shows week, day and agenda views', async () => {
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.waitForSelector('.fc-timeGridWeek-view');
    await shot(page, 'calendar-week');
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.waitForSelector('.fc-timeGridDay-view');
    await shot(page, 'calendar-day');
    await page.getByRole('button', { name: 'Agenda', exact: true }).click();
    await page.waitForSelector('.fc-list');
    await shot(page, 'calendar-agenda');
    await page.getByRole('button', { name: 'Month', exact: true }).click();
  });

  it('creates, completes and deletes a task', async () => {
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await page.getByLabel('New task').fill('Write the report');
    await page.getByLabel('New task').press('Enter');
    await page.locator('[data-testid=task]', { hasText: 'Write the report' }).waitFor();
    await page.getByLabel('New task').fill('Book flights');
    await page.getByLabel('New task').press('Enter');
    await page.locator('[data-testid=task]', { hasText: 'Book flights' }).waitFor();
    await shot(page, 'tasks');
    await page.getByLabel('Complete Write the report').click();
    await until(async () => (await objects(alice(), '/dav/calendars/alice/default/')).some((o) => o.body.includes('SUMMARY:Write the report') && o.body.includes('STATUS:COMPLETED') && o.body.includes('PERCENT-COMPLETE:100')), 'the task is completed on the server');
    await page.getByRole('button', { name: 'Book flights' }).click();
    await page.getByRole('dialog', { name: 'Edit task' }).getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-testid=task]', { hasText: 'Book flights' }).waitFor({ state: 'detached' });
    assert.ok(!(await objects(alice(), '/dav/calendars/alice/default/')).some((o) => o.body.includes('Book flights')));
  });

  it('creates, edits, searches and deletes a contact (CardDAV)', async () => {
    await page.getByRole('tab', { name: 'Contacts' }).click();
    for (const [given, family, phone] of [['Ada', 'Lovelace', '+44 20 7946 0000'], ['Grace', 'Hopper', '+1 555 0100']] as const) {
      await page.getByRole('button', { name: '+ New contact' }).click();
      const d = page.getByRole('dialog', { name: 'New contact' });
      await d.getByLabel('First name').fill(given);
      await d.getByLabel('Last name').fill(family);
      await d.getByLabel('Phone', { exact: true }).fill(phone);
      await d.getByLabel('Email', { exact: true }).fill(`${given.toLowerCase()}@example.org`);
      await d.getByLabel('Groups').fill('Pioneers');
      await d.getByRole('button', { name: 'Save' }).click();
      await page.locator('[data-testid=contact]', { hasText: `${given} ${family}` }).waitFor();
    }
    let cards = await objects(alice(), '/dav/addressbooks/alice/default/');
    const ada = cards.find((c) => c.body.includes('FN:Ada Lovelace'));
    assert.ok(ada, 'the card is on the server');
    assert.match(ada.body, /TEL;TYPE=CELL:\+44 20 7946 0000/);
    assert.match(ada.body, /CATEGORIES:Pioneers/);
    assert.ok(ada.href.endsWith('.vcf'));

    await page.locator('[data-testid=contact]', { hasText: 'Ada Lovelace' }).click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const e = page.getByRole('dialog', { name: 'Edit contact' });
    await e.getByLabel('Organisation').fill('Analytical Engines Ltd');
    await e.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Analytical Engines Ltd').waitFor();
    cards = await objects(alice(), '/dav/addressbooks/alice/default/');
    assert.match(cards.find((c) => c.body.includes('FN:Ada Lovelace'))!.body, /ORG:Analytical Engines Ltd/);

    await page.getByLabel('Search contacts').fill('hopp');
    await until(async () => (await page.locator('[data-testid=contact]').count()) === 1, 'the search leaves one contact');
    await page.getByLabel('Search contacts').fill('');
    await page.locator('[data-testid=contact]', { hasText: 'Ada Lovelace' }).click();
    await shot(page, 'contacts');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-testid=contact]', { hasText: 'Ada Lovelace' }).waitFor({ state: 'detached' });
    cards = await objects(alice(), '/dav/addressbooks/alice/default/');
    assert.equal(cards.filter((c) => c.body.includes('FN:Ada Lovelace')).length, 0);
    assert.equal(cards.filter((c) => c.body.includes('FN:Grace Hopper')).length, 1);
  });

  it('adds a Radicale account and creates an event that Radicale then holds (through the relay)', async () => {
    const radicale: Radicale = await startRadicale('bob', 'bob-radicale-pw');
    try {
      const auth = { Authorization: basic('bob', 'bob-radicale-pw') };
      const mk = await fetch(`${radicale.url}/bob/work/`, {
        method: 'MKCALENDAR', headers: { ...auth, 'Content-Type': 'application/xml' },
        body: '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Work at Radicale</D:displayname></D:prop></D:set></C:mkcalendar>',
      });
      assert.equal(mk.status, 201);
      await page.getByRole('tab', { name: 'Calendar' }).click();
      await page.getByRole('button', { name: '+ Add another server' }).click();
      const d = page.getByRole('dialog', { name: 'Add another server' });
      await d.getByLabel('Name', { exact: true }).fill('Radicale');
      await d.getByLabel('Server address').fill(`${radicale.url}/`);
      await d.getByLabel('User name').fill('bob');
      await d.getByLabel('Password').fill('bob-radicale-pw');
      await d.getByRole('button', { name: 'Add' }).click();
      await page.locator('.sidebar', { hasText: 'Work at Radicale' }).waitFor();

      await page.locator(`td.fc-daygrid-day[data-date="${ym}-20"]`).click({ position: { x: 30, y: 40 } });
      const ed = page.getByRole('dialog', { name: 'New event' });
      await ed.getByPlaceholder('Add title').fill('Meeting on Radicale');
      await ed.getByLabel('Calendar').selectOption({ label: 'Work at Radicale (Radicale)' });
      await ed.getByRole('button', { name: 'Save' }).click();
      await page.locator('[data-testid=event]', { hasText: 'Meeting on Radicale' }).first().waitFor();
      await shot(page, 'other-server');

      const list = await fetch(`${radicale.url}/bob/work/`, { method: 'PROPFIND', headers: { ...auth, Depth: '1' } });
      const hrefs = [...(await list.text()).matchAll(/<href>([^<]+\.ics)<\/href>/gi)].map((m) => m[1]!);
      const bodies = await Promise.all(hrefs.map(async (h) => (await fetch(`${radicale.url}${h}`, { headers: auth })).text()));
      assert.ok(bodies.some((b) => b.includes('SUMMARY:Meeting on Radicale')), 'Radicale holds the event');
    } finally {
      await radicale.close();
    }
  });

  it('fits a phone-sized screen', async () => {
    const phone = await session.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', timezoneId: 'Europe/Berlin', storageState: await session.context.storageState() });
    const p = await phone.newPage();
    await p.goto(server.url);
    await p.waitForSelector('body[data-ready=true]');
    await p.waitForSelector('.fc-list, .fc-list-empty');
    const overflow = await p.evaluate('document.documentElement.scrollWidth - window.innerWidth') as number;
    assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
    await shot(p, 'phone');
    await phone.close();
  });

  it('renders a month with 1,000 events in under a second', async () => {
    const next = new Date(now.getFullYear(), now.getMonth() + 1, 1);
    const nym = `${next.getFullYear()}${pad(next.getMonth() + 1)}`;
    const put = alice();
    let i = 0;
    const worker = async (): Promise<void> => {
      while (i < 1000) {
        const n = i++;
        const day = pad(1 + (n % 28));
        const hour = pad(8 + (n % 10));
        const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Load//EN', 'BEGIN:VEVENT', `UID:load-${n}`, 'DTSTAMP:20260101T000000Z',
          `DTSTART:${nym}${day}T${hour}0000Z`, `DTEND:${nym}${day}T${hour}3000Z`, `SUMMARY:Load ${n}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
        const res = await put(`/dav/calendars/alice/default/load-${n}.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: ics });
        assert.equal(res.status, 201);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker(), worker(), worker()]);
    type Win = { almanac: { state: { collections: { objects: Map<string, unknown> }[] } } };
    await until(async () => (await page.evaluate(() => (globalThis as unknown as Win).almanac.state.collections.reduce((n, c) => n + c.objects.size, 0))) >= 1000, 'the app has synced 1,000 events', 20_000);
    // Timed inside the page: from the click to the frame after the month is laid out and painted.
    type Doc = { document: { querySelector(s: string): { click(): void }; querySelectorAll(s: string): { length: number } }; requestAnimationFrame(f: () => void): void; performance: { now(): number } };
    const { ms, shown } = await page.evaluate(async () => {
      const g = globalThis as unknown as Doc;
      const t = g.performance.now();
      g.document.querySelector('.fc-next-button').click();
      await new Promise<void>((r) => g.requestAnimationFrame(() => setTimeout(r, 0)));
      return { ms: g.performance.now() - t, shown: g.document.querySelectorAll('.fc-daygrid-event').length };
    });
    assert.ok(shown >= 28, `the month shows events (${shown})`);
    const expandMs = await page.evaluate(() => (globalThis as unknown as { almanacTiming: number }).almanacTiming);
    console.log(`# month with 1,000 events rendered in ${Math.round(ms)} ms (expansion ${Math.round(expandMs)} ms)`);
    assert.ok(ms < 1000, `rendered in ${Math.round(ms)} ms`);
    await shot(page, 'calendar-1000-events');
    await page.locator('.fc-prev-button').click();
  });

  it('logs out: the session no longer opens DAV', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/dav/calendars/alice/', { method: 'PROPFIND', headers: { Depth: '0', 'X-Almanac-CSRF': 'x' } })).status);
    assert.equal(status, 401);
    await shot(page, 'login');
  });
});
