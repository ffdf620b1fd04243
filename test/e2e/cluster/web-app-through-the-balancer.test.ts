/**
 * The web app in Debian's Chromium through HAProxy (round robin per request, no sticky
 * sessions): two browsers of one user, each logged in through the balancer, whose requests land
 * on every node. An event created in one browser, and then edited in the other, shows in the
 * other browser without a reload, carried by the server-sent event stream of whichever node
 * that browser's stream is held by; a CalDAV PUT made directly on each node in turn reaches both
 * browsers as well (the notice crosses nodes by PostgreSQL LISTEN/NOTIFY).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ask, haproxySkipReason, startTestCluster, type TestCluster } from '../../helpers/cluster.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { logIn, openBrowser, type Session } from '../../web/browser.js';
import { until, vevent } from '../../web/page-helpers.js';

const CHROMIUM = process.env.ALMANAC_CHROMIUM ?? '/usr/bin/chromium';
const pad = (n: number): string => String(n).padStart(2, '0');
const now = new Date();
const ym = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
const CAL = '/dav/calendars/alice/default/';

/** A browser page and the node of each answer it got (HAProxy's X-Served-By), by request. */
interface Watched {
  readonly page: Page;
  readonly served: { node: string; method: string; url: string }[];
}

function watch(page: Page): Watched {
  const served: Watched['served'] = [];
  page.on('response', (res) => {
    const node = res.headers()['x-served-by'];
    if (node) served.push({ node, method: res.request().method(), url: res.url() });
  });
  return { page, served };
}

const shows = (w: Watched, text: string, timeout = 5000): Promise<void> =>
  w.page.locator('[data-testid=event]', { hasText: text }).first().waitFor({ timeout });

/** The node holding the page's event stream (the last /app/events it opened). */
const streamNode = (w: Watched): string => w.served.filter((s) => s.url.includes('/app/events')).at(-1)?.node ?? '';

describe('the web app through three nodes behind HAProxy', async () => {
  const skip =
    (await postgresSkipReason()) ||
    haproxySkipReason() ||
    (existsSync(CHROMIUM) ? false : 'Chromium is not installed (apt-get install chromium)');
  let c: TestCluster;
  let session: Session;
  let a: Watched;
  let b: Watched;
  before(async () => {
    if (skip) return;
    c = await startTestCluster(3);
    session = await openBrowser();
    a = watch(session.page);
    const other = await session.browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-GB',
      timezoneId: 'Europe/Berlin',
    });
    b = watch(await other.newPage());
    b.page.setDefaultTimeout(10_000);
    await logIn(a.page, c.url, 'alice', 'alice-pw');
    await logIn(b.page, c.url, 'alice', 'alice-pw');
  });
  after(async () => {
    await session?.close();
    await c?.close();
  });

  it('each browser logs in and loads through every node (the web session holds on all of them)', { skip }, () => {
    for (const w of [a, b]) {
      const nodes = new Set(w.served.map((s) => s.node));
      assert.deepEqual([...nodes].sort(), ['n1', 'n2', 'n3'], JSON.stringify(w.served.slice(0, 20)));
      assert.ok(streamNode(w), 'the page holds an event stream');
    }
  });

  it(
    'an event created in one browser shows in the other without a reload; an edit there shows in the first',
    { skip },
    async () => {
      // A mark in each page's window: a reload would lose it.
      const mark = (w: Watched): Promise<boolean> =>
        w.page.evaluate(() => {
          const win = globalThis as unknown as { almanacMark?: boolean };
          const had = win.almanacMark === true;
          win.almanacMark = true;
          return had;
        });
      await mark(a);
      await mark(b);
      await a.page.locator(`td.fc-daygrid-day[data-date="${ym}-12"]`).click({ position: { x: 30, y: 40 } });
      const create = a.page.getByRole('dialog', { name: 'New event' });
      await create.getByPlaceholder('Add title').fill('Planned in browser A');
      await create.getByRole('button', { name: 'Save' }).click();
      await shows(a, 'Planned in browser A');
      // The page's response event for the PUT may come after the event shows: wait for it.
      await until(async () => a.served.some((s) => s.method === 'PUT'), 'browser A wrote the event with a PUT');
      await shows(b, 'Planned in browser A');

      await b.page.locator('[data-testid=event]', { hasText: 'Planned in browser A' }).first().click();
      const edit = b.page.getByRole('dialog', { name: 'Edit event' });
      await edit.getByPlaceholder('Add title').fill('Moved by browser B');
      await edit.getByRole('button', { name: 'Save' }).click();
      await shows(b, 'Moved by browser B');
      await shows(a, 'Moved by browser B');
      await until(
        async () => b.served.filter((s) => s.method === 'PUT').length > 0,
        'browser B wrote the edit with a PUT',
      );
      assert.deepEqual([await mark(a), await mark(b)], [true, true], 'neither page was reloaded');

      const stored = await ask(c.url, CAL, {
        method: 'REPORT',
        headers: { 'Content-Type': 'application/xml', Depth: '1' },
        body: '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>',
      });
      assert.equal(stored.text.match(/SUMMARY:Moved by browser B/g)?.length, 1, 'the edited event is stored once');
      assert.doesNotMatch(stored.text, /SUMMARY:Planned in browser A/);
    },
  );

  it(
    'a CalDAV PUT made directly on each node shows in both browsers, whichever node holds their streams',
    { skip },
    async () => {
      for (const n of c.nodes) {
        const uid = `direct-${n.index}`;
        const r = await ask(n.url, `${CAL}${uid}.ics`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: vevent(uid, [
            `DTSTART:${ym.replace('-', '')}14T1${n.index}0000Z`,
            'DURATION:PT30M',
            `SUMMARY:Written on node ${n.index}`,
          ]),
        });
        assert.equal(r.status, 201, r.text);
        await Promise.all([shows(a, `Written on node ${n.index}`), shows(b, `Written on node ${n.index}`)]);
      }
      // Every node wrote while two streams listened: at least two of the three writes crossed nodes.
      assert.ok(streamNode(a) && streamNode(b));
    },
  );
});
