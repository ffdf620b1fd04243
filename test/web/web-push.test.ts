/**
 * Web Push in the web app, in Chromium (issue #18 item 4). Headless Chromium has no push
 * service (PushManager.subscribe needs Google's, which this machine cannot reach), so the
 * subscription itself is not made here: the server side — subscription, invitation, reminder,
 * encryption — is tested end to end against a loopback push service in
 * test/e2e/web-push/rfc8030-browser-notifications.test.ts. Here: the Account dialog's
 * settings reach the server, and the service worker's `push` handler, given a message through
 * the DevTools protocol (ServiceWorker.deliverPushMessage, as a push service would hand it
 * over), shows the notification with title, time and place, in the words the page stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserPushSettings } from '../../src/domain/push/browser-push-settings.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { until } from './page-helpers.js';

const dialog = (page: Page) => page.locator('dialog[aria-label="Account"]');

describe('web app: Web Push notifications in Chromium (issue #18)', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  before(async () => {
    server = await startTestServer();
    session = await openBrowser();
    page = session.page;
    await session.context.grantPermissions(['notifications'], { origin: server.url });
    await logIn(page, server.url, 'alice', 'alice-pw');
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('the Account dialog lists no browser yet and turns invitations and reminders off and on for the user', async () => {
    await page.getByRole('button', { name: 'alice' }).click();
    const d = dialog(page);
    await d.getByRole('heading', { name: 'Notifications' }).waitFor();
    await d.getByText('No browser gets notifications yet.').waitFor();
    await d.getByRole('button', { name: 'Notify this browser' }).waitFor();
    const alice = await server.store.getUserByName('alice');
    assert.ok(alice);
    await d.getByRole('checkbox', { name: 'Invitations' }).uncheck();
    await until(async () => !(await browserPushSettings(server.store, alice.id)).invitations, 'invitations off');
    assert.equal((await browserPushSettings(server.store, alice.id)).alarms, true);
    await d.getByRole('checkbox', { name: 'Reminders' }).uncheck();
    await until(async () => !(await browserPushSettings(server.store, alice.id)).alarms, 'reminders off');
    await d.getByRole('checkbox', { name: 'Invitations' }).check();
    await until(async () => (await browserPushSettings(server.store, alice.id)).invitations, 'invitations on');
    await d.getByRole('button', { name: 'Close' }).click();
  });

  it('the service worker shows a pushed reminder and invitation (title, time, place) and replaces one of the same tag', async () => {
    // What web-push.ts keeps for the worker when the browser subscribes.
    const words = JSON.stringify({ invitation: 'Invitation from {{from}}', reminder: 'Reminder', locale: 'en-GB' });
    await page.evaluate(`(async () => {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      await navigator.serviceWorker.ready;
      const cache = await caches.open('almanac-push-v1');
      await cache.put('/push-text.json', new Response(${JSON.stringify(words)}));
    })()`);
    const cdp = await session.context.newCDPSession(page);
    const registered = new Promise<string>((resolve) =>
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        (e: { registrations: { registrationId: string; scopeURL: string }[] }) => {
          const r = e.registrations.find((x) => x.scopeURL.startsWith(server.url));
          if (r) resolve(r.registrationId);
        },
      ),
    );
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registered;
    // The handler reads the stored words before it shows anything. The worker's reads are made to
    // answer in the reverse order of the messages (the first waits longest), as a busy disk may:
    // the notifications must still be shown in the order the messages came.
    const worker =
      session.context.serviceWorkers().find((w) => w.url().startsWith(server.url)) ??
      (await session.context.waitForEvent('serviceworker'));
    await worker.evaluate(`(() => {
      const match = caches.match.bind(caches);
      let n = 0;
      caches.match = (...args) => {
        const wait = Math.max(0, 300 - 20 * n++);
        return new Promise((r) => setTimeout(r, wait)).then(() => match(...args));
      };
    })()`);
    const start = Date.UTC(2027, 0, 10, 9, 0);
    const deliver = (n: Record<string, unknown>) =>
      cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId, data: JSON.stringify(n) });
    await deliver({ kind: 'alarm', title: 'Dentist', start, allDay: false, location: 'Main Street 1', tag: 'alarm:a' });
    await deliver({
      kind: 'invitation',
      title: 'Planning',
      start,
      allDay: false,
      location: 'Room 4',
      from: 'bob@example.com',
      tag: 'invitation:p',
    });
    // Moves of the same event arrive back to back; each message's handler reads the stored words
    // before it shows anything, so without an order kept in the worker an earlier one could be
    // shown last and replace the newest (seen once in CI).
    // The protocol keeps the order of the messages of one session, so they are not awaited one by one.
    const moves: Promise<unknown>[] = [];
    for (let i = 1; i <= 12; i++)
      moves.push(
        deliver({
          kind: 'alarm',
          title: `Dentist (${i})`,
          start,
          allDay: false,
          location: `Hall ${i}`,
          tag: 'alarm:a',
        }),
      );
    moves.push(
      deliver({
        kind: 'alarm',
        title: 'Dentist (moved)',
        start,
        allDay: false,
        location: 'Main Street 2',
        tag: 'alarm:a',
      }),
    );
    await Promise.all(moves);
    type Shown = { title: string; body: string; tag: string }[];
    const shown = async (): Promise<Shown> =>
      (await page.evaluate(
        '(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag })))()',
      )) as Shown;
    await until(
      async () => (await shown()).length === 2 && (await shown()).some((n) => n.title === 'Dentist (moved)'),
      'two notifications',
      15_000,
    );
    // Every message has been handled by now; none handled late may have replaced the newest.
    await new Promise((r) => setTimeout(r, 300));
    const notes = await shown();
    const alarm = notes.find((n) => n.tag === 'alarm:a')!;
    assert.equal(alarm.title, 'Dentist (moved)', 'the same tag replaces the earlier one');
    assert.match(alarm.body, /10 Jan 2027, 10:00/, 'the time in the browser’s zone (Europe/Berlin) and locale');
    assert.match(alarm.body, /Main Street 2/);
    const invite = notes.find((n) => n.tag === 'invitation:p')!;
    assert.equal(invite.title, 'Planning');
    assert.match(invite.body, /^Invitation from bob@example\.com\n/);
    assert.match(invite.body, /Room 4/);
  });
});
