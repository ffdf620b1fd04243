/**
 * Accessibility checked with axe-core in Chromium: the login page, the calendar month and week
 * views, the event editor, the tasks view, the contacts list and editor, at desktop and phone
 * size, in light and dark mode (prefers-color-scheme, as the system sets it). No violation of
 * impact "serious" or "critical" (WCAG 2.x A/AA rules and axe's best practices) is allowed; the
 * lesser findings are counted and printed.
 *
 * axe is injected with page.evaluate of its source: a DevTools evaluation, which the app's strict
 * CSP (script-src 'self') does not govern, so the page is audited with its real CSP on.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { openBrowser, SCREENSHOTS, type Session } from './browser.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const pad = (n: number): string => String(n).padStart(2, '0');
const now = new Date();
const ymd = (day: number): string => `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(day)}`;
const today = now.getDate();

/** Lesser findings over the whole run, by rule, printed at the end. */
const lesser = new Map<string, number>();
let audits = 0;

/** Run axe on the page as it is; fail on serious or critical violations, count the rest. */
async function audit(page: Page, what: string): Promise<void> {
  // Strings, not functions: the test is compiled without the DOM library.
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => JSON.parse(JSON.stringify(r.violations)))",
  )) as Finding[];
  audits++;
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations)
    if (!bad.includes(v))
      lesser.set(`${v.id} (${v.impact})`, (lesser.get(`${v.id} (${v.impact})`) ?? 0) + v.nodes.length);
  assert.deepEqual(
    bad.map(
      (v) =>
        `${v.id} [${v.impact}] ${v.help}: ${v.nodes
          .slice(0, 6)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    ),
    [],
    `axe found serious/critical violations on ${what}`,
  );
}

/** WCAG relative luminance of a computed `rgb(…)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

const CONTACT = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'UID:a11y-ada',
  'FN:Ada Lovelace',
  'N:Lovelace;Ada;;;',
  'ORG:Analytical Engines',
  'TITLE:Head of R&D',
  'EMAIL;TYPE=work:ada@example.com',
  'TEL;TYPE=cell:+44 20 7946 0000',
  'NOTE:First line\\nsecond line',
  'END:VCARD',
  '',
].join('\r\n');

function event(uid: string, day: number, summary: string, from = '090000', to = '100000'): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//a11y//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${ymd(1)}T000000Z`,
    `DTSTART:${ymd(day)}T${from}Z`,
    `DTEND:${ymd(day)}T${to}Z`,
    `SUMMARY:${summary}`,
    'LOCATION:Room 4',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function task(uid: string, summary: string, priority: number): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//a11y//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    `DTSTAMP:${ymd(1)}T000000Z`,
    `DUE;VALUE=DATE:${ymd(today)}`,
    `SUMMARY:${summary}`,
    `PRIORITY:${priority}`,
    'PERCENT-COMPLETE:40',
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('accessibility (axe-core) in Chromium, light and dark, desktop and phone', () => {
  let server: TestServer;
  let session: Session;

  before(async () => {
    server = await startTestServer();
    session = await openBrowser();
    const alice = davFetch(server.url, 'alice');
    const puts: [string, string, string][] = [
      ['/dav/calendars/alice/default/a11y-1.ics', 'text/calendar', event('a11y-1', today, 'Team standup')],
      [
        '/dav/calendars/alice/default/a11y-2.ics',
        'text/calendar',
        event('a11y-2', Math.min(today + 1, 28), 'Dentist', '130000', '133000'),
      ],
      ['/dav/calendars/alice/default/a11y-t1.ics', 'text/calendar', task('a11y-t1', 'Write the report', 1)],
      ['/dav/calendars/alice/default/a11y-t2.ics', 'text/calendar', task('a11y-t2', 'Book flights', 9)],
      ['/dav/addressbooks/alice/default/a11y-ada.vcf', 'text/vcard', CONTACT],
    ];
    for (const [path, type, body] of puts) {
      const res = await alice(path, { method: 'PUT', headers: { 'Content-Type': type }, body });
      assert.ok(res.status === 201 || res.status === 204, `PUT ${path}: ${res.status}`);
    }
  });
  after(async () => {
    await session?.close();
    await server?.close();
    const rows = [...lesser.entries()].sort((a, b) => b[1] - a[1]);
    console.log(
      `axe: ${audits} audits; lesser findings (elements): ${rows.length ? rows.map(([k, n]) => `${k} ×${n}`).join(', ') : 'none'}`,
    );
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const [size, viewport] of [
      ['desktop', { width: 1280, height: 860 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      describe(`${scheme}, ${size}`, () => {
        let context: BrowserContext;
        let page: Page;
        const where = (what: string): string => `${what} (${scheme}, ${size})`;

        before(async () => {
          context = await session.browser.newContext({
            viewport,
            locale: 'en-GB',
            timezoneId: 'Europe/Berlin',
            colorScheme: scheme,
          });
          page = await context.newPage();
          page.setDefaultTimeout(15_000);
          page.on('pageerror', (err) => console.error('page error:', err.message));
        });
        after(async () => {
          await context?.close();
        });

        it('login page', async () => {
          await page.goto(server.url);
          await page.locator('form.login').waitFor();
          assert.equal(await page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches"), scheme === 'dark');
          await audit(page, where('the login page'));
          await page.locator('input[name=user]').fill('alice');
          await page.locator('input[name=password]').fill('alice-pw');
          await page.locator('form.login button[type=submit]').click();
          await page.waitForSelector('body[data-ready=true]', { timeout: 20_000 });
        });

        it('keyboard: the first Tab stop is a skip link to the content (WCAG 2.4.1)', async () => {
          await page.keyboard.press('Tab');
          assert.equal(await page.evaluate('document.activeElement.className'), 'skip-link');
          await page.keyboard.press('Enter');
          assert.equal(await page.evaluate('document.activeElement.id'), 'main');
        });

        it('calendar, month view', async () => {
          await page.evaluate("almanac.calendar.changeView('dayGridMonth')");
          await page.locator('.fc-daygrid-body').waitFor();
          await page.locator('[data-testid=event]', { hasText: 'Team standup' }).first().waitFor();
          await audit(page, where('the month view'));
          // The theme follows the system: the calendar panel and FullCalendar's own text change with it.
          const [panel, header] = (await page.evaluate(
            "[getComputedStyle(document.querySelector('.calendar-view')).backgroundColor, getComputedStyle(document.querySelector('.fc-col-header-cell-cushion')).color]",
          )) as [string, string];
          if (scheme === 'dark') {
            mkdirSync(SCREENSHOTS, { recursive: true });
            await page.screenshot({ path: join(SCREENSHOTS, `dark-${size}-month.png`) });
          }
          if (scheme === 'dark')
            assert.ok(
              luminance(panel) < 0.1 && luminance(header) > 0.5,
              `dark theme: panel ${panel}, weekday header ${header}`,
            );
          else
            assert.ok(
              luminance(panel) > 0.9 && luminance(header) < 0.2,
              `light theme: panel ${panel}, weekday header ${header}`,
            );
        });

        it('calendar, week view', async () => {
          await page.evaluate("almanac.calendar.changeView('timeGridWeek')");
          await page.locator('.fc-timegrid-body').waitFor();
          await audit(page, where('the week view'));
        });

        it('calendar, year view', async () => {
          await page.evaluate("almanac.calendar.changeView('year')");
          await page.locator('.mini-month').first().waitFor();
          await audit(page, where('the year view'));
        });

        it('event editor dialog', async () => {
          const fab = page.locator('button.fab');
          await ((await fab.isVisible()) ? fab : page.locator('.fc-newEvent-button')).click();
          const dialog = page.getByRole('dialog');
          await dialog.waitFor();
          await audit(page, where('the event editor'));
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'detached' });
        });

        it('tasks view', async () => {
          await page.getByRole('tab', { name: 'Tasks' }).click();
          await page.locator('.task', { hasText: 'Write the report' }).waitFor();
          await audit(page, where('the tasks view'));
        });

        it('contacts list and editor', async () => {
          await page.getByRole('tab', { name: 'Contacts' }).click();
          const ada = page.getByText('Ada Lovelace').first();
          await ada.waitFor();
          await ada.click();
          await audit(page, where('the contacts list'));
          await page.getByRole('button', { name: /New contact/ }).click();
          const dialog = page.getByRole('dialog');
          await dialog.waitFor();
          await audit(page, where('the contact editor'));
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'detached' });
        });
      });
    }
  }
});
