/**
 * The web app's "Subscribe to calendar…" (issue #13) in Chromium: an .ics feed served on loopback
 * becomes a read-only calendar in the sidebar with its events in the month view; a failing feed
 * shows its error and keeps the events; Unsubscribe removes it; the contact birthday calendar
 * can be turned off and on; a private address without the server's flag is refused with the
 * flag named and the form kept.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { shot, until } from './page-helpers.js';

/** The Subscriptions dialog. */
const dialog = (page: Page) => page.locator('dialog[aria-label="Subscriptions"]');
const pad = (n: number): string => String(n).padStart(2, '0');
const today = new Date();
const ymd = `${today.getFullYear()}${pad(today.getMonth() + 1)}${pad(today.getDate())}`;

function feedText(summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Feed//EN',
    'BEGIN:VEVENT',
    'UID:feed-1',
    'DTSTAMP:20260101T000000Z',
    `DTSTART;VALUE=DATE:${ymd}`,
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('web app: subscriptions and the birthday calendar in Chromium (issue #13)', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  let feed: Server;
  let feedUrl = '';
  let answer = { status: 200, body: feedText('Feed party') };

  before(async () => {
    feed = createServer((_req, res) =>
      res.writeHead(answer.status, { 'Content-Type': 'text/calendar' }).end(answer.body),
    );
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', () => r()));
    feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/holidays.ics`;
    server = await startTestServer({ config: { relayAllowPrivate: true, subscriptionCheckMs: 0 } });
    session = await openBrowser();
    page = session.page;
    await logIn(page, server.url, 'alice', 'alice-pw');
  });
  after(async () => {
    await session?.close();
    await server?.close();
    await new Promise<void>((r) => feed.close(() => r()));
  });

  const sidebarItem = (name: string) => page.locator('nav.sidebar li.collection', { hasText: name });
  const eventNamed = (title: string) => page.locator('.fc-event', { hasText: title });

  it("subscribing from the sidebar shows a read-only calendar with the feed's events", async () => {
    await page.getByRole('button', { name: '+ Subscribe to calendar…' }).click();
    await dialog(page).getByLabel('Calendar address').fill(feedUrl);
    await dialog(page).getByLabel('Name', { exact: true }).fill('Holidays');
    await dialog(page).getByRole('button', { name: 'Subscribe', exact: true }).click();
    await until(
      async () => (await sidebarItem('Holidays').count()) === 1,
      'the subscription is in the sidebar',
      15_000,
    );
    assert.equal(await sidebarItem('Holidays').locator('.badge').textContent(), 'read-only');
    await until(async () => (await eventNamed('Feed party').count()) === 1, "the feed's event shows", 15_000);
  });

  it('the dialog shows the last update; a failing feed shows its error and the events stay', async () => {
    answer = { status: 500, body: 'down' };
    await page.getByRole('button', { name: '+ Subscribe to calendar…' }).click();
    const row = page.locator('li.subscription', { hasText: 'Holidays' });
    await until(async () => /Updated/.test((await row.textContent()) ?? ''), 'the last success is listed');
    await row.getByRole('button', { name: 'Refresh Holidays' }).click();
    await until(
      async () => /Last error: the server answered 500/.test((await row.textContent()) ?? ''),
      'the error is listed',
      15_000,
    );
    await shot(page, 'subscriptions-dialog');
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    assert.equal(await eventNamed('Feed party').count(), 1);
  });

  it('Unsubscribe removes the calendar and its events', async () => {
    await page.getByRole('button', { name: '+ Subscribe to calendar…' }).click();
    await page.getByRole('button', { name: 'Unsubscribe Holidays' }).click();
    await page.locator('dialog').last().getByRole('button', { name: 'Unsubscribe' }).click();
    await until(async () => (await page.locator('li.subscription').count()) === 0, 'the list is empty', 15_000);
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    await until(async () => (await sidebarItem('Holidays').count()) === 0, 'the calendar left the sidebar', 15_000);
    assert.equal(await eventNamed('Feed party').count(), 0);
  });

  it('a contact\'s birthday appears in the "Contact birthdays" calendar; the setting turns it off and on', async () => {
    const card = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'UID:ada',
      'FN:Ada Lovelace',
      `BDAY:--${ymd.slice(4)}`,
      'END:VCARD',
      '',
    ].join('\r\n');
    const put = await davFetch(server.url)('/dav/addressbooks/alice/default/ada.vcf', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/vcard' },
      body: card,
    });
    assert.equal(put.status, 201);
    await until(
      async () => (await sidebarItem('Contact birthdays').count()) === 1,
      'the birthday calendar is in the sidebar',
      15_000,
    );
    await until(async () => (await eventNamed('Ada Lovelace').count()) === 1, 'the birthday shows', 15_000);
    await page.getByRole('button', { name: '+ Subscribe to calendar…' }).click();
    const box = dialog(page).getByLabel('Show the birthdays and anniversaries of my contacts as a calendar');
    await until(async () => box.isChecked(), 'the setting shows on');
    await box.uncheck();
    await until(
      async () => (await sidebarItem('Contact birthdays').count()) === 0,
      'the birthday calendar went',
      15_000,
    );
    await box.check();
    await until(
      async () => (await sidebarItem('Contact birthdays').count()) === 1,
      'the birthday calendar is back',
      15_000,
    );
    await dialog(page).getByRole('button', { name: 'Close' }).click();
  });
});

describe("web app: a feed on a private address without the server's flag (issue #13)", () => {
  it('is refused with --relay-allow-private named, and the form keeps what was typed', async () => {
    const server = await startTestServer({ config: { subscriptionCheckMs: 0 } });
    const session = await openBrowser();
    try {
      const page = session.page;
      await logIn(page, server.url, 'alice', 'alice-pw');
      await page.getByRole('button', { name: '+ Subscribe to calendar…' }).click();
      await dialog(page).getByLabel('Calendar address').fill('webcal://127.0.0.1:9/private.ics');
      await dialog(page).getByLabel('Name', { exact: true }).fill('Private');
      await dialog(page).getByRole('button', { name: 'Subscribe', exact: true }).click();
      await until(
        async () =>
          /--relay-allow-private/.test(
            (await page
              .locator('.toast.error')
              .textContent()
              .catch(() => '')) ?? '',
          ),
        'the refusal names the flag',
        15_000,
      );
      await until(
        async () =>
          (await dialog(page)
            .getByLabel('Calendar address')
            .inputValue()
            .catch(() => '')) === 'webcal://127.0.0.1:9/private.ics',
        'the form is kept',
      );
      assert.equal(await dialog(page).getByLabel('Name', { exact: true }).inputValue(), 'Private');
    } finally {
      await session.close();
      await server.close();
    }
  });
});

describe('web app: the Subscriptions dialog in German (issue #13, i18n)', () => {
  it("speaks the browser's language", async () => {
    const server = await startTestServer({ config: { subscriptionCheckMs: 0 } });
    const session = await openBrowser();
    try {
      const context = await session.browser.newContext({
        viewport: { width: 1280, height: 860 },
        locale: 'de-DE',
        timezoneId: 'Europe/Berlin',
      });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByLabel('Benutzername').fill('alice');
      await page.getByLabel('Passwort').fill('alice-pw');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.waitForSelector('body[data-ready=true]');
      await page.getByRole('button', { name: '+ Kalender abonnieren…' }).click();
      const dlg = page.locator('dialog[aria-label="Abonnements"]');
      await dlg.getByLabel('Kalenderadresse').waitFor();
      assert.equal(await dlg.getByRole('button', { name: 'Abonnieren', exact: true }).count(), 1);
      // The list of subscriptions fills after its own request to the server (subscribe-dialog.ts
      // fillList): wait for it, as a user would, rather than read the dialog before it arrived.
      await until(async () => /Noch keine\./.test((await dlg.textContent()) ?? ''), 'the empty list in German', 15_000);
      assert.match((await dlg.textContent()) ?? '', /Noch keine\./);
    } finally {
      await session.close();
      await server.close();
    }
  });
});
