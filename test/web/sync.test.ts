/**
 * The web app's sync against servers of other shapes, offline writes, and live updates, in a
 * real browser (Debian's Chromium through playwright-core).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { basic, davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { addOtherServer } from './page-helpers.js';
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
      method: 'MKCALENDAR',
      headers: { ...auth, 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Radicale diary</D:displayname></D:prop></D:set></C:mkcalendar>',
    });
    assert.equal(cal.status, 201);
    const book = await fetch(`${radicale.url}/bob/shared-book/`, {
      method: 'MKCOL',
      headers: { ...auth, 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>Radicale people</D:displayname></D:prop></D:set></D:mkcol>',
    });
    assert.equal(book.status, 201);
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//Radicale//EN',
      'BEGIN:VEVENT',
      'UID:radicale-once@example.com',
      `DTSTAMP:${ymCompact}01T000000Z`,
      `DTSTART:${ymCompact}12T100000Z`,
      `DTEND:${ymCompact}12T110000Z`,
      'SUMMARY:Shown once',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const put = await fetch(`${radicale.url}/bob/shared-cal/radicale-once.ics`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'text/calendar' },
      body: ics,
    });
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
      method: 'PROPFIND',
      headers: { ...auth, Depth: '0', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><C:calendar-home-set/><CR:addressbook-home-set/></D:prop></D:propfind>',
    });
    const homeXml = await homes.text();
    const homeHrefs = memberHrefs(homeXml, '/');
    assert.ok(homeHrefs.filter((h) => h === '/bob/').length >= 2, `both home sets name /bob/: ${homeXml}`);

    await logIn(page, server.url, 'alice', 'alice-pw');
    await addOtherServer(page, 'Radicale', `${radicale.url}/`, 'bob', 'bob-radicale-pw');
    const section = page.locator('.sidebar section.source').filter({ hasText: 'Radicale diary' });
    await section.waitFor();
    await page.locator('[data-testid=event]', { hasText: 'Shown once' }).first().waitFor();

    assert.equal(
      await section.locator('li.collection', { hasText: 'Radicale diary' }).count(),
      1,
      'the calendar is listed once',
    );
    assert.equal(
      await section.locator('li.collection', { hasText: 'Radicale people' }).count(),
      1,
      'the address book is listed once',
    );
    type Win = { almanac: { state: { collections: { key: string; dav: { kind: string } }[] } } };
    const kinds = await page.evaluate(() =>
      (globalThis as unknown as Win).almanac.state.collections
        .filter((c) => !c.key.startsWith('almanac:'))
        .map((c) => `${c.dav.kind} ${c.key.replace(/^[^:]+:/, '')}`)
        .sort(),
    );
    assert.deepEqual(
      kinds,
      ['addressbook /bob/shared-book/', 'calendar /bob/shared-cal/'],
      'each collection once, with its kind from its resourcetype',
    );
    assert.equal(
      await page.locator('[data-testid=event]', { hasText: 'Shown once' }).count(),
      1,
      'the event is shown once',
    );

    await page.locator('[data-testid=event]', { hasText: 'Shown once' }).first().click();
    await deleteOpenEvent(page);
    await waitUntil(
      async () => (await page.locator('[data-testid=event]', { hasText: 'Shown once' }).count()) === 0,
      'the deleted event is gone from the calendar',
    );
    const list = await fetch(`${radicale.url}/bob/shared-cal/`, {
      method: 'PROPFIND',
      headers: { ...auth, Depth: '1' },
    });
    assert.deepEqual(memberHrefs(await list.text(), '.ics'), [], 'Radicale holds no event any more');
    // No stale copy comes back on a reload from the cache either.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await section.locator('li.collection', { hasText: 'Radicale diary' }).waitFor();
    await page.waitForSelector('.fc-daygrid-body');
    assert.equal(
      await page.locator('[data-testid=event]', { hasText: 'Shown once' }).count(),
      0,
      'no stale copy after a reload',
    );
  });
});

describe('web app: import, export and another server — say why, keep what was typed', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;

  before(async () => {
    server = await startTestServer(); // private relay targets refused (the default)
    session = await openBrowser();
    page = session.page;
    await logIn(page, server.url, 'alice', 'alice-pw');
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  const importFile = async (name: string, text: string, into: string): Promise<void> => {
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const d = page.getByRole('dialog', { name: 'Import' });
    await d
      .getByLabel('Files (.ics or .vcf)')
      .setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
    await d.getByLabel('Into').selectOption({ label: into });
    await d.getByRole('button', { name: 'Import', exact: true }).click();
  };
  const vcf =
    [
      ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Grace Hopper', 'N:Hopper;Grace;;;', 'END:VCARD'],
      ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'END:VCARD'],
      ['BEGIN:VCARD', 'VERSION:3.0', 'UID:has-uid-1', 'FN:Alan Turing', 'N:Turing;Alan;;;', 'END:VCARD'],
    ]
      .map((c) => c.join('\r\n'))
      .join('\r\n') + '\r\n';

  it('a .vcf into a calendar says the file holds contacts and to choose an address book; nothing is written', async () => {
    await importFile('people.vcf', vcf, 'Calendar: Calendar');
    const alert = page.getByRole('alert').filter({ hasText: 'people.vcf' });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /this file holds contacts \(vCard\); choose an address book/);
    assert.equal(
      await page.getByRole('dialog', { name: 'Importing…' }).count(),
      0,
      'no "0 imported, 0 failed" summary',
    );
    const list = await davFetch(server.url, 'alice')('/dav/calendars/alice/default/', {
      method: 'PROPFIND',
      headers: { Depth: '1' },
    });
    assert.deepEqual(memberHrefs(await list.text(), '.ics'), []);
  });

  it('an .ics into an address book says the file holds events and to choose a calendar', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//EN',
      'BEGIN:VEVENT',
      'UID:wrong-target@example.com',
      `DTSTAMP:${ymCompact}01T000000Z`,
      `DTSTART:${ymCompact}05T100000Z`,
      'SUMMARY:Wrong place',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await importFile('diary.ics', ics, 'Address book: Contacts');
    const alert = page.getByRole('alert').filter({ hasText: 'diary.ics' });
    await alert.waitFor();
    assert.match(
      (await alert.textContent()) ?? '',
      /this file holds events and tasks \(iCalendar\); choose a calendar/,
    );
  });

  it('RFC 6350 §6.7.6: cards without UID are imported with a generated one, and the summary says so (as `almanac import` does)', async () => {
    await importFile('people.vcf', vcf, 'Address book: Contacts');
    const progress = page.getByRole('dialog', { name: 'Importing…' });
    await progress.getByRole('heading', { name: 'Import finished' }).waitFor();
    assert.equal(await progress.getByRole('status').textContent(), '3 imported, 0 already there (skipped), 0 failed.');
    assert.equal(
      await progress.getByTestId('import-note').textContent(),
      '2 contacts had no UID; one was generated for each.',
    );
    await progress.getByRole('button', { name: 'Close' }).click();
    const list = await davFetch(server.url, 'alice')('/dav/addressbooks/alice/default/', {
      method: 'PROPFIND',
      headers: { Depth: '1' },
    });
    const bodies = await Promise.all(
      memberHrefs(await list.text(), '.vcf').map(async (h) => (await davFetch(server.url, 'alice')(h)).text()),
    );
    assert.equal(bodies.length, 3);
    for (const fn of ['Grace Hopper', 'Ada Lovelace']) {
      const b = bodies.find((x) => x.includes(`FN:${fn}`));
      assert.ok(b, fn);
      assert.match(b, /\r\nUID:[0-9a-f-]{36}\r\nEND:VCARD/, `${fn} got a UID`);
    }
  });

  it("the exported calendar carries X-WR-CALNAME, the calendar's display name", async () => {
    const put = await davFetch(server.url, 'alice')('/dav/calendars/alice/default/named.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Test//EN',
        'BEGIN:VEVENT',
        'UID:named@example.com',
        `DTSTAMP:${ymCompact}01T000000Z`,
        `DTSTART:${ymCompact}06T100000Z`,
        'SUMMARY:In a named calendar',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    });
    assert.equal(put.status, 201);
    await page.locator('[data-testid=event]', { hasText: 'In a named calendar' }).first().waitFor();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const d = page.getByRole('dialog', { name: 'Export' });
    await d.getByLabel('Collection').selectOption({ label: 'Calendar: Calendar' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      d.getByRole('button', { name: 'Download' }).click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    assert.match(text, /^BEGIN:VCALENDAR\r\n(?:[^\r\n]*\r\n)*?X-WR-CALNAME:Calendar\r\n/);
    assert.match(text, /SUMMARY:In a named calendar/);
  });

  it('"Add another server" refused for a loopback address keeps the form and names the flag that allows it', async () => {
    await page.getByRole('button', { name: '+ Add another server' }).click();
    const d = page.getByRole('dialog', { name: 'Add another server' });
    await d.getByLabel('Name', { exact: true }).fill('Home NAS');
    await d.getByLabel('Server address').fill('http://127.0.0.1:5232/');
    await d.getByLabel('User name').fill('bob');
    await d.getByLabel('Password').fill('secret-pw');
    await d.getByRole('button', { name: 'Add' }).click();
    const error = d.getByRole('alert');
    await error.filter({ hasText: 'not added' }).waitFor();
    const text = (await error.textContent()) ?? '';
    assert.match(text, /--relay-allow-private/);
    assert.match(text, /ALMANAC_RELAY_ALLOW_PRIVATE=1/);
    assert.ok(await d.isVisible(), 'the form stays open');
    assert.equal(await d.getByLabel('Name', { exact: true }).inputValue(), 'Home NAS');
    assert.equal(await d.getByLabel('Server address').inputValue(), 'http://127.0.0.1:5232/');
    assert.equal(await d.getByLabel('User name').inputValue(), 'bob');
    assert.equal(await d.getByLabel('Password').inputValue(), 'secret-pw');
    await d.getByRole('button', { name: 'Cancel' }).click();
    await d.waitFor({ state: 'detached' });
  });
});

describe('web app offline: writes wait in the outbox and are sent when back; the live dot is true', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');
  const dot = (): ReturnType<Page['locator']> => page.locator('.topbar .live');
  const onServer = async (summary: string): Promise<string | undefined> => {
    const list = await alice()('/dav/calendars/alice/default/', { method: 'PROPFIND', headers: { Depth: '1' } });
    const bodies = await Promise.all(
      memberHrefs(await list.text(), '.ics').map(async (h) => (await alice()(h)).text()),
    );
    return bodies.find((b) => b.includes(`SUMMARY:${summary}`));
  };

  before(async () => {
    server = await startTestServer();
    session = await openBrowser();
    page = session.page;
    await logIn(page, server.url, 'alice', 'alice-pw');
    await page.waitForSelector('html[data-offline-ready=true]', { timeout: 20_000 });
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('an event created offline shows as pending, survives a reload while still offline, and is on the server once back online', async () => {
    assert.equal(await dot().getAttribute('title'), 'Live: changes from other apps appear at once');
    await session.context.setOffline(true);
    await page.waitForSelector('body[data-live=false]');
    assert.equal(await dot().getAttribute('title'), 'Offline — 0 changes waiting');

    await page.locator(`td.fc-daygrid-day[data-date="${ym}-14"]`).click({ position: { x: 30, y: 40 } });
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.getByPlaceholder('Add title').fill('Written on the train');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const pending = page.locator('[data-testid=event].pending', { hasText: 'Written on the train' });
    await pending.first().waitFor();
    assert.equal(
      await page.getByRole('alert').filter({ hasText: 'Failed to fetch' }).count(),
      0,
      'no raw "Failed to fetch"',
    );
    await waitUntil(
      async () => (await dot().getAttribute('title')) === 'Offline — 1 change waiting',
      'the dot counts the waiting change',
    );
    assert.equal(await onServer('Written on the train'), undefined, 'nothing reached the server yet');

    // A reload while still offline: the app shell comes from the service worker's cache, the
    // calendar from IndexedDB, the change from the outbox.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await pending.first().waitFor();
    assert.equal(await page.locator('body').getAttribute('data-live'), 'false');
    await waitUntil(
      async () => (await dot().getAttribute('title')) === 'Offline — 1 change waiting',
      'the dot still counts it after the reload',
    );

    const back = Date.now();
    await session.context.setOffline(false);
    await waitUntil(
      async () => (await onServer('Written on the train')) !== undefined,
      'the event is on the server (CalDAV)',
      15_000,
    );
    await page.waitForSelector('body[data-live=true]', { timeout: 15_000 });
    await page.waitForSelector('body[data-waiting="0"]');
    console.log(`# offline change sent ${Date.now() - back} ms after going online`);
    await page.locator('[data-testid=event]:not(.pending)', { hasText: 'Written on the train' }).first().waitFor();
    assert.equal(
      await page.locator('[data-testid=event]', { hasText: 'Written on the train' }).count(),
      1,
      'shown once',
    );
    assert.equal(await dot().getAttribute('title'), 'Live: changes from other apps appear at once');
    const body = await onServer('Written on the train');
    assert.match(body ?? '', /BEGIN:VEVENT[\s\S]*UID:/);
  });

  it('a change whose first send reached the server though its answer was lost is not a conflict when sent again (RFC 9110 §13.1.2)', async () => {
    await session.context.setOffline(true);
    await page.waitForSelector('body[data-live=false]');
    await page.locator(`td.fc-daygrid-day[data-date="${ym}-18"]`).click({ position: { x: 30, y: 40 } });
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.getByPlaceholder('Add title').fill('Sent twice');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid=event].pending', { hasText: 'Sent twice' }).first().waitFor();
    // The lost answer: the create's exact bytes are on the server before the outbox sends them.
    const waiting = await page.evaluate(() => {
      const w = globalThis as unknown as {
        almanac: { state: { outbox: { list(): { href: string; data?: string; contentType?: string }[] } } };
      };
      return w.almanac.state.outbox
        .list()
        .map((e) => ({ href: e.href, data: e.data ?? '', contentType: e.contentType ?? '' }));
    });
    assert.equal(waiting.length, 1);
    const put = await alice()(waiting[0]!.href, {
      method: 'PUT',
      headers: { 'Content-Type': waiting[0]!.contentType, 'If-None-Match': '*' },
      body: waiting[0]!.data,
    });
    assert.equal(put.status, 201);

    await session.context.setOffline(false);
    await page.waitForSelector('body[data-waiting="0"]', { timeout: 15_000 });
    await page.locator('[data-testid=event]:not(.pending)', { hasText: 'Sent twice' }).first().waitFor();
    await page.waitForSelector('body[data-live=true]', { timeout: 15_000 });
    assert.equal(await page.getByRole('dialog', { name: 'Changed elsewhere' }).count(), 0, 'no conflict dialog');
    assert.equal(await page.locator('[data-testid=event]', { hasText: 'Sent twice' }).count(), 1, 'shown once');
  });

  it('a task and a contact edited offline show the pending mark in their lists and details until sent', async () => {
    const vtodo = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//Other//EN',
      'BEGIN:VTODO',
      'UID:offline-task@example.com',
      `DTSTAMP:${ymCompact}01T000000Z`,
      'SUMMARY:Water the plants',
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    assert.equal(
      (
        await alice()('/dav/calendars/alice/default/offline-task.ics', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: vtodo,
        })
      ).status,
      201,
    );
    const card = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'UID:offline-card',
      'FN:Olga Offline',
      'N:Offline;Olga;;;',
      'END:VCARD',
      '',
    ].join('\r\n');
    assert.equal(
      (
        await alice()('/dav/addressbooks/alice/default/offline-card.vcf', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/vcard' },
          body: card,
        })
      ).status,
      201,
    );
    const task = page.locator('[data-testid=task]', { hasText: 'Water the plants' });
    const contact = page.locator('[data-testid=contact]', { hasText: 'Olga Offline' });
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await task.waitFor();
    await session.context.setOffline(true);
    await page.waitForSelector('body[data-live=false]');
    // Each edit is the first write after a reload (offline: the shell from the service worker), so
    // both are made by a fresh app: their outbox entries must still be two (one IndexedDB key
    // each), not the second written over the first.
    const reloadOffline = async (): Promise<void> => {
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      await page.waitForSelector('body[data-live=false]');
    };
    await reloadOffline();
    await page.getByRole('tab', { name: 'Tasks' }).click();

    await task.getByRole('button', { name: 'Water the plants' }).click();
    const taskDialog = page.getByRole('dialog', { name: 'Edit task' });
    await taskDialog.getByLabel('Title').fill('Water the plants twice');
    await taskDialog.getByRole('button', { name: 'Save' }).click();
    const pendingTask = page.locator('[data-testid=task].pending', { hasText: 'Water the plants twice' });
    await pendingTask.getByTestId('pending').waitFor();
    assert.equal(await pendingTask.getByTestId('pending').getAttribute('title'), 'Waiting to be sent (offline)');

    await reloadOffline();
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await contact.click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const cardDialog = page.getByRole('dialog', { name: 'Edit contact' });
    await cardDialog.getByLabel('Job title').fill('Gardener');
    await cardDialog.getByRole('button', { name: 'Save' }).click();
    await contact.getByTestId('pending').waitFor();
    await page.getByTestId('pending-note').waitFor();
    await waitUntil(async () => (await page.locator('body').getAttribute('data-waiting')) === '2', 'two changes wait');
    await reloadOffline();
    await waitUntil(
      async () => (await page.locator('body').getAttribute('data-waiting')) === '2',
      'two changes still wait after a reload',
    );
    await page.getByRole('tab', { name: 'Contacts' }).click();

    const back = Date.now();
    await session.context.setOffline(false);
    await page.waitForSelector('body[data-waiting="0"]', { timeout: 15_000 });
    await page.waitForSelector('body[data-live=true]', { timeout: 15_000 });
    console.log(`# live again ${Date.now() - back} ms after going online (loaded offline)`);
    await waitUntil(
      async () => (await contact.getByTestId('pending').count()) === 0,
      'the contact row has no pending mark once sent',
      10_000,
    );
    assert.equal(await page.getByTestId('pending-note').count(), 0, 'nor its detail');
    assert.match(await (await alice()('/dav/addressbooks/alice/default/offline-card.vcf')).text(), /TITLE:Gardener/);
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await page
      .locator('[data-testid=task]:not(.pending)', { hasText: 'Water the plants twice' })
      .waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('[data-testid=task] [data-testid=pending]').count(), 0);
    assert.match(
      await (await alice()('/dav/calendars/alice/default/offline-task.ics')).text(),
      /SUMMARY:Water the plants twice/,
    );
    await page.getByRole('tab', { name: 'Calendar' }).click();
  });

  it('an .ics imported offline waits in the outbox, says so, and is on the server once back online', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//EN',
      'BEGIN:VEVENT',
      'UID:offline-import-1@example.com',
      `DTSTAMP:${ymCompact}01T000000Z`,
      `DTSTART:${ymCompact}20T100000Z`,
      'SUMMARY:Imported offline one',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:offline-import-2@example.com',
      `DTSTAMP:${ymCompact}01T000000Z`,
      `DTSTART:${ymCompact}21T100000Z`,
      'SUMMARY:Imported offline two',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await session.context.setOffline(true);
    await page.waitForSelector('body[data-live=false]');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const d = page.getByRole('dialog', { name: 'Import' });
    await d
      .getByLabel('Files (.ics or .vcf)')
      .setInputFiles({ name: 'trip.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    await d.getByLabel('Into').selectOption({ label: 'Calendar: Calendar' });
    await d.getByRole('button', { name: 'Import', exact: true }).click();
    const note = page.getByTestId('import-queued');
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /^2 are waiting to be sent/);
    await page.getByRole('dialog', { name: 'Importing…' }).getByRole('button', { name: 'Close' }).click();
    await page.locator('[data-testid=event].pending', { hasText: 'Imported offline one' }).first().waitFor();
    assert.equal(await onServer('Imported offline one'), undefined);

    await session.context.setOffline(false);
    await waitUntil(
      async () =>
        (await onServer('Imported offline one')) !== undefined &&
        (await onServer('Imported offline two')) !== undefined,
      'both imported events are on the server',
      15_000,
    );
    await page.waitForSelector('body[data-waiting="0"]', { timeout: 15_000 });
  });

  it('an edit made offline over a change made meanwhile elsewhere gets the usual 412 "Changed elsewhere" when sent (RFC 9110 §13.1.1)', async () => {
    const href = '/dav/calendars/alice/default/offline-conflict.ics';
    const ev = (summary: string, seq: number): string =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Test//Other//EN',
        'BEGIN:VEVENT',
        'UID:offline-conflict@example.com',
        `DTSTAMP:${ymCompact}01T000000Z`,
        `SEQUENCE:${seq}`,
        `DTSTART:${ymCompact}16T080000Z`,
        `DTEND:${ymCompact}16T090000Z`,
        `SUMMARY:${summary}`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    assert.equal(
      (await alice()(href, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: ev('Planning', 0) }))
        .status,
      201,
    );
    await page.locator('[data-testid=event]', { hasText: 'Planning' }).first().waitFor();

    await session.context.setOffline(true);
    await page.waitForSelector('body[data-live=false]');
    await page.locator('[data-testid=event]', { hasText: 'Planning' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Edit event' });
    await dialog.getByPlaceholder('Add title').fill('Planning (my offline edit)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid=event].pending', { hasText: 'Planning (my offline edit)' }).first().waitFor();

    const etag = (await alice()(href, { method: 'HEAD' })).headers.get('etag');
    assert.ok(etag);
    assert.equal(
      (
        await alice()(href, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar', 'If-Match': etag },
          body: ev('Planning — moved to Friday', 1),
        })
      ).status,
      204,
    );

    await session.context.setOffline(false);
    const conflict = page.getByRole('dialog', { name: 'Changed elsewhere' });
    await conflict.waitFor({ timeout: 15_000 });
    const body = await (await alice()(href)).text();
    assert.match(body, /SUMMARY:Planning — moved to Friday/, 'the other change is kept');
    assert.doesNotMatch(body, /my offline edit/);
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await page.locator('[data-testid=event]', { hasText: 'Planning — moved to Friday' }).first().waitFor();
    assert.equal(await page.locator('[data-testid=event]', { hasText: 'my offline edit' }).count(), 0);
    await page.waitForSelector('body[data-waiting="0"]');
  });
});
