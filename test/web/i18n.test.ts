/**
 * Translations and locale-correct dates in a real browser: the app speaks the browser's language
 * (de-DE, fr-FR, es-ES contexts), sets <html lang> (WCAG 3.1.1), never shows a raw catalog key,
 * and a language picked in the top bar applies at once and survives a reload.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openBrowser, SCREENSHOTS, type Session } from './browser.js';

/** Keys look like `topbar.calendar`: one showing means a lookup fell through every catalog. */
const RAW_KEY =
  /\b(?:app|common|login|topbar|language|dialog|calendar|event|recur|tasks|contacts|sidebar|import|export|subscriptions|invitations|search|shortcuts|error|reminders)\.[a-zA-Z][\w.]*\b/;

interface Expected {
  login: string;
  user: string;
  tabs: [string, string, string];
  logout: string;
  language: string;
  lang: string;
}

const EXPECTED: Record<string, Expected> = {
  'de-DE': {
    login: 'Anmelden',
    user: 'Benutzername',
    tabs: ['Kalender', 'Aufgaben', 'Kontakte'],
    logout: 'Abmelden',
    language: 'Sprache',
    lang: 'de-DE',
  },
  'fr-FR': {
    login: 'Se connecter',
    user: 'Nom d’utilisateur',
    tabs: ['Agenda', 'Tâches', 'Contacts'],
    logout: 'Se déconnecter',
    language: 'Langue',
    lang: 'fr-FR',
  },
  'es-ES': {
    login: 'Iniciar sesión',
    user: 'Nombre de usuario',
    tabs: ['Calendario', 'Tareas', 'Contactos'],
    logout: 'Cerrar sesión',
    language: 'Idioma',
    lang: 'es-ES',
  },
  'en-GB': {
    login: 'Log in',
    user: 'User name',
    tabs: ['Calendar', 'Tasks', 'Contacts'],
    logout: 'Log out',
    language: 'Language',
    lang: 'en-GB',
  },
};

/** Log in through the form whatever its language (fields by name, the form's submit button). */
async function logInAnyLanguage(page: Page, base: string): Promise<void> {
  await page.goto(base);
  await page.locator('input[name=user]').fill('alice');
  await page.locator('input[name=password]').fill('alice-pw');
  await page.locator('form.login button[type=submit]').click();
  await page.waitForSelector('body[data-ready=true]', { timeout: 20_000 });
}

async function assertNoRawKeys(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, RAW_KEY, 'a catalog key is shown instead of its text');
  const labels = await page
    .locator('[aria-label], [title], [placeholder]')
    .evaluateAll((els) =>
      els.map((e) =>
        [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')]
          .filter(Boolean)
          .join(' '),
      ),
    );
  assert.doesNotMatch(labels.join(' '), RAW_KEY, 'a catalog key is used as a label');
}

describe('web app translations and locales (i18next + Intl)', () => {
  let server: TestServer;
  let session: Session;
  const contexts: BrowserContext[] = [];

  async function pageIn(locale: string): Promise<Page> {
    const context = await session.browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale,
      timezoneId: 'Europe/Berlin',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => console.error(`page error (${locale}):`, err.message));
    return page;
  }

  before(async () => {
    server = await startTestServer();
    session = await openBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await session?.close();
    await server?.close();
  });

  for (const [locale, want] of Object.entries(EXPECTED)) {
    it(`a ${locale} browser gets the login page, <html lang> and the top bar in its language`, async () => {
      const page = await pageIn(locale);
      await page.goto(server.url);
      await page.getByRole('button', { name: want.login, exact: true }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), want.lang);
      assert.ok(
        await page.getByLabel(want.user, { exact: true }).isVisible(),
        `the user field is labelled “${want.user}”`,
      );
      await assertNoRawKeys(page);
      await logInAnyLanguage(page, server.url);
      const tabs = await page.getByRole('tab').allInnerTexts();
      assert.deepEqual(
        tabs.map((s) => s.trim()),
        want.tabs,
      );
      assert.ok(await page.getByRole('button', { name: want.logout, exact: true }).isVisible());
      assert.ok(await page.getByRole('combobox', { name: want.language, exact: true }).isVisible());
      await assertNoRawKeys(page);
      await page.close();
    });
  }

  /** English UI words that a German page must not show (data such as the default collection names aside). */
  const ENGLISH = [
    'Today',
    'Month',
    'Week',
    'Agenda',
    'New event',
    'Save',
    'Cancel',
    'Delete',
    'Log out',
    'Import',
    'Export',
    'Tasks',
    'Address books',
    'New calendar',
    'Add another server',
    'New contact',
    'Show completed',
    'All day',
    'Starts',
    'Ends',
    'Repeat',
    'Reminders',
    'Add a task and press Enter',
    'Search events and tasks',
    'Groups',
    'All contacts',
  ];

  async function assertNoEnglish(page: Page, where: string): Promise<void> {
    const text = await page.locator('body').innerText();
    const found = ENGLISH.filter((w) => new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(text));
    assert.deepEqual(found, [], `English left on ${where}`);
    await assertNoRawKeys(page);
  }

  it('de-DE: the calendar (German FullCalendar, Monday first), event editor, tasks and contacts are German throughout', async () => {
    const page = await pageIn('de-DE');
    await logInAnyLanguage(page, server.url);
    await page.locator('.fc-daygrid-body').waitFor();
    assert.equal((await page.locator('.fc-today-button').innerText()).trim(), 'Heute');
    assert.match((await page.locator('.fc-col-header-cell').first().innerText()).trim(), /^Mo\.?$/);
    assert.match(
      (await page.locator('.fc-toolbar-title').innerText()).trim(),
      /^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$/,
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'calendar-de.png') });
    await assertNoEnglish(page, 'the month view');
    await page.locator('.fc-newEvent-button').click();
    const editor = page.getByRole('dialog', { name: 'Neuer Termin' });
    await editor.waitFor();
    for (const label of ['Beginn', 'Ende', 'Ort', 'Wiederholt sich'])
      assert.ok(await editor.getByLabel(label, { exact: true }).isVisible(), `field “${label}”`);
    await assertNoEnglish(page, 'the event editor');
    await editor.getByRole('button', { name: 'Abbrechen' }).click();
    await page.getByRole('tab', { name: 'Aufgaben' }).click();
    await page.getByPlaceholder('Aufgabe eingeben und Enter drücken').waitFor();
    await assertNoEnglish(page, 'the tasks view');
    await page.getByRole('tab', { name: 'Kontakte' }).click();
    await page.getByRole('button', { name: '+ Neuer Kontakt' }).click();
    const contact = page.getByRole('dialog', { name: 'Neuer Kontakt' });
    await contact.waitFor();
    assert.ok(await contact.getByLabel('Vorname', { exact: true }).isVisible());
    await assertNoEnglish(page, 'the contact editor');
    await contact.getByRole('button', { name: 'Abbrechen' }).click();
    await page.close();
  });

  it('en-US: the month grid starts on Sunday and times are 12-hour; fr-FR: French month names, Monday first', async () => {
    const us = await pageIn('en-US');
    await logInAnyLanguage(us, server.url);
    await us.locator('.fc-daygrid-body').waitFor();
    assert.equal((await us.locator('.fc-col-header-cell').first().innerText()).trim(), 'Sun');
    await us.evaluate("almanac.calendar.changeView('timeGridWeek')");
    assert.match(
      (await us.locator('.fc-timegrid-slot-label[data-time="13:00:00"]').innerText()).trim(),
      /^1(:00)?\s?pm$/i,
    );
    await us.close();
    const fr = await pageIn('fr-FR');
    await logInAnyLanguage(fr, server.url);
    await fr.locator('.fc-daygrid-body').waitFor();
    assert.equal((await fr.locator('.fc-col-header-cell').first().innerText()).trim(), 'lun.');
    assert.equal((await fr.locator('.fc-today-button').innerText()).trim(), 'Aujourd’hui');
    assert.match(
      (await fr.locator('.fc-toolbar-title').innerText()).trim(),
      /^(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}$/,
    );
    await fr.close();
  });

  it('switching the language in the top bar applies at once and persists across reload; "Browser language" goes back', async () => {
    const page = await pageIn('de-DE');
    await logInAnyLanguage(page, server.url);
    assert.equal(await page.getByRole('tab').first().innerText(), 'Kalender');
    await Promise.all([page.waitForEvent('load'), page.getByRole('combobox', { name: 'Sprache' }).selectOption('fr')]);
    await page.waitForSelector('body[data-ready=true]', { timeout: 20_000 });
    assert.equal(await page.getByRole('tab').first().innerText(), 'Agenda');
    // No fr tag in a de-DE browser: the bare language, so Intl formats French (not German) dates.
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.equal(await page.getByRole('combobox', { name: 'Langue' }).inputValue(), 'fr');
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 20_000 });
    assert.equal(await page.getByRole('tab').first().innerText(), 'Agenda', 'the choice survives a reload');
    await Promise.all([page.waitForEvent('load'), page.getByRole('combobox', { name: 'Langue' }).selectOption('')]);
    await page.waitForSelector('body[data-ready=true]', { timeout: 20_000 });
    assert.equal(await page.getByRole('tab').first().innerText(), 'Kalender');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de-DE');
    await page.close();
  });

  /** What the app's Intl helpers (web/src/i18n/dates.ts) say in a browser of `locale`. */
  async function datesIn(
    locale: string,
    withoutWeekInfo = false,
  ): Promise<{ first: number; weekdays: string[]; long: string; time: string }> {
    const page = await pageIn(locale);
    // An engine without Intl.Locale week data (Firefox): the CLDR region table answers instead.
    if (withoutWeekInfo)
      await page.addInitScript('delete Intl.Locale.prototype.getWeekInfo; delete Intl.Locale.prototype.weekInfo;');
    await logInAnyLanguage(page, server.url);
    const out =
      (await page.evaluate(`(() => { const d = almanac.dates; const x = new Date(Date.UTC(2026, 11, 24, 14, 5));
      return { first: d.firstDayOfWeek(), weekdays: d.weekdayNames('short'), long: d.formatDate(x, 'long', 'UTC'), time: d.formatTime(x, 'UTC'),
        weekInfo: typeof new Intl.Locale('de').getWeekInfo === 'function' }; })()`)) as {
        first: number;
        weekdays: string[];
        long: string;
        time: string;
        weekInfo: boolean;
      };
    assert.equal(out.weekInfo, !withoutWeekInfo);
    await page.close();
    return out;
  }

  const DATES: [string, number, string, string, string][] = [
    // locale, first day (0 = Sunday), first weekday name, 24 Dec 2026 (dateStyle long), 14:05 UTC
    ['de-DE', 1, 'Mo', '24. Dezember 2026', '14:05'],
    ['fr-FR', 1, 'lun.', '24 décembre 2026', '14:05'],
    ['es-ES', 1, 'lun', '24 de diciembre de 2026', '14:05'],
    ['en-GB', 1, 'Mon', '24 December 2026', '14:05'],
    ['en-US', 0, 'Sun', 'December 24, 2026', '2:05 PM'],
  ];
  for (const [locale, first, weekday, long, time] of DATES) {
    it(`dates in ${locale}: the week starts on ${first === 1 ? 'Monday' : 'Sunday'}, long dates and times as the locale writes them`, async () => {
      const got = await datesIn(locale);
      assert.equal(got.first, first);
      assert.equal(got.weekdays.length, 7);
      assert.equal(got.weekdays[0], weekday);
      assert.equal(got.long, long);
      // ICU versions differ in the space before AM/PM (U+0020, U+00A0 or U+202F).
      assert.equal(got.time.replace(/\s/gu, ' '), time);
    });
  }

  it('without Intl.Locale week data the first day of the week comes from the CLDR table (en-US Sunday, de-DE Monday)', async () => {
    assert.equal((await datesIn('en-US', true)).first, 0);
    assert.equal((await datesIn('de-DE', true)).first, 1);
  });

  it("a refused login is said in the UI language (the server's 401 text is English)", async () => {
    const page = await pageIn('de-DE');
    await page.goto(server.url);
    await page.locator('input[name=user]').fill('alice');
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('form.login button[type=submit]').click();
    await page.getByRole('alert').filter({ hasText: 'Benutzername oder Passwort ist falsch.' }).waitFor();
    await page.close();
  });

  it("another server that answers PROPFIND with something else than a multistatus is said in the UI language (the DAV client's text is English)", async () => {
    // Answers every request with 207 and an XML body that is not DAV:multistatus.
    const other = createServer((_req, res) => {
      res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
      res.end('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>not DAV</body></html>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const relaying = await startTestServer({ config: { relayAllowPrivate: true } });
    try {
      const page = await pageIn('de-DE');
      await page.goto(relaying.url);
      await page.locator('input[name=user]').fill('alice');
      await page.locator('input[name=password]').fill('alice-pw');
      await page.locator('form.login button[type=submit]').click();
      await page.waitForSelector('body[data-ready=true]');
      await page.getByRole('button', { name: '+ Weiteren Server hinzufügen' }).click();
      const d = page.getByRole('dialog', { name: 'Weiteren Server hinzufügen' });
      await d.locator('input[name=label]').fill('Kaputt');
      await d.locator('input[name=url]').fill(`http://127.0.0.1:${(other.address() as AddressInfo).port}/dav/`);
      await d.locator('input[name=username]').fill('bob');
      await d.locator('input[name=password]').fill('pw');
      await d.locator('button[value=ok]').click();
      const said = page
        .getByRole('alert')
        .filter({ hasText: 'Der Server hat nicht mit einem Multistatus geantwortet' });
      await said.first().waitFor();
      assert.doesNotMatch(await page.locator('body').innerText(), /did not answer with a multistatus/);
      await page.close();
    } finally {
      await relaying.close();
      other.close();
    }
  });

  it('the language can be chosen on the login page too, before logging in', async () => {
    const page = await pageIn('en-GB');
    await page.goto(server.url);
    await Promise.all([page.waitForEvent('load'), page.getByRole('combobox', { name: 'Language' }).selectOption('es')]);
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    await page.close();
  });
});
