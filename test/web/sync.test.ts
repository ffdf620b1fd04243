/**
 * The web app's sync against servers of other shapes, offline writes, and live updates, in a
 * real browser (Debian's Chromium through playwright-core).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { basic, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { startRadicale, type Radicale } from './radicale.js';
import { deleteOpenEvent, memberHrefs, waitUntil } from './sync-helpers.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const now = new Date();
const ym = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
const ymCompact = ym.replace('-', '');

describe('web app: a server whose calendars and address books share one home (Radicale)', () => {
  let server: TestServer;
  let radicale: Radicale;
  let session: Session;
  let page: Page;
  const auth = { Authorization: basic('bob', 'bob-radicale-pw') };

  before(async () => {
    server = await startTestServer({ config: { relayAllowPrivate: true } });
    radicale = await startRadicale('bob', 'bob-radicale-pw');
    const cal = await fetch(`${radicale.url}/bob/shared-cal/`, {
      method: 'MKCALENDAR', headers: { ...auth, 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Radicale diary</D:displayname></D:prop></D:set></C:mkcalendar>',
    });
    assert.equal(cal.status, 201);
    const book = await fetch(`${radicale.url}/bob/shared-book/`, {
      method: 'MKCOL', headers: { ...auth, 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>Radicale people</D:displayname></D:prop></D:set></D:mkcol>',
    });
    assert.equal(book.status, 201);
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Radicale//EN', 'BEGIN:VEVENT', 'UID:radicale-once@example.com',
      `DTSTAMP:${ymCompact}01T000000Z`, `DTSTART:${ymCompact}12T100000Z`, `DTEND:${ymCompact}12T110000Z`, 'SUMMARY:Shown once', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const put = await fetch(`${radicale.url}/bob/shared-cal/radicale-once.ics`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'text/calendar' }, body: ics });
    assert.equal(put.status, 201);
    session = await openBrowser();
    page = session.page;
  });
  after(async () => {
    await session?.close();
    await radicale?.close();
    await server?.close();
  });

  it('RFC 4791 §6.2.1 / RFC 6352 §7.1.1: one home named by both home sets lists each collection once; an event shows once and a delete leaves none', async () => {
    // Radicale names the same URL as calendar-home-set and addressbook-home-set.
    const homes = await fetch(`${radicale.url}/bob/`, {
      method: 'PROPFIND', headers: { ...auth, Depth: '0', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><C:calendar-home-set/><CR:addressbook-home-set/></D:prop></D:propfind>',
    });
    const homeXml = await homes.text();
    const homeHrefs = memberHrefs(homeXml, '/');
    assert.ok(homeHrefs.filter((h) => h === '/bob/').length >= 2, `both home sets name /bob/: ${homeXml}`);

    await logIn(page, server.url, 'alice', 'alice-pw');
    await page.getByRole('button', { name: '+ Add another server' }).click();
    const d = page.getByRole('dialog', { name: 'Add another server' });
    await d.getByLabel('Name', { exact: true }).fill('Radicale');
    await d.getByLabel('Server address').fill(`${radicale.url}/`);
    await d.getByLabel('User name').fill('bob');
    await d.getByLabel('Password').fill('bob-radicale-pw');
    await d.getByRole('button', { name: 'Add' }).click();
    const section = page.locator('.sidebar section.source').filter({ hasText: 'Radicale diary' });
    await section.waitFor();
    await page.locator('[data-testid=event]', { hasText: 'Shown once' }).first().waitFor();

    assert.equal(await section.locator('li.collection', { hasText: 'Radicale diary' }).count(), 1, 'the calendar is listed once');
    assert.equal(await section.locator('li.collection', { hasText: 'Radicale people' }).count(), 1, 'the address book is listed once');
    type Win = { almanac: { state: { collections: { key: string; dav: { kind: string } }[] } } };
    const kinds = await page.evaluate(() => (globalThis as unknown as Win).almanac.state.collections.filter((c) => !c.key.startsWith('almanac:')).map((c) => `${c.dav.kind} ${c.key.replace(/^[^:]+:/, '')}`).sort());
    assert.deepEqual(kinds, ['addressbook /bob/shared-book/', 'calendar /bob/shared-cal/'], 'each collection once, with its kind from its resourcetype');
    assert.equal(await page.locator('[data-testid=event]', { hasText: 'Shown once' }).count(), 1, 'the event is shown once');

    await page.locator('[data-testid=event]', { hasText: 'Shown once' }).first().click();
    await deleteOpenEvent(page);
    await waitUntil(async () => (await page.locator('[data-testid=event]', { hasText: 'Shown once' }).count()) === 0, 'the deleted event is gone from the calendar');
    const list = await fetch(`${radicale.url}/bob/shared-cal/`, { method: 'PROPFIND', headers: { ...auth, Depth: '1' } });
    assert.deepEqual(memberHrefs(await list.text(), '.ics'), [], 'Radicale holds no event any more');
    // No stale copy comes back on a reload from the cache either.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await section.locator('li.collection', { hasText: 'Radicale diary' }).waitFor();
    await page.waitForSelector('.fc-daygrid-body');
    assert.equal(await page.locator('[data-testid=event]', { hasText: 'Shown once' }).count(), 0, 'no stale copy after a reload');
  });
});
