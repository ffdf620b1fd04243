/**
 * Reminders that notify while the app is open: a VALARM (RFC 5545 §3.6.6) of an event PUT over
 * CalDAV by another client fires a browser Notification at its trigger (relative to DTSTART,
 * §3.8.6.3), once per session (not again after a re-plan or a reload), not at all when
 * ACKNOWLEDGED (RFC 9074 §6); without the permission it shows inside the app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { formatUtcDateTime } from '../../src/formats/ical/time.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { until, vevent } from './page-helpers.js';

const CAL = '/dav/calendars/alice/default/';
interface Note {
  title: string;
  body: string;
}
type Win = { __notifications: Note[] };

/** Replace window.Notification by a recorder that keeps the real permission (granted or not by the context). */
function recordNotifications(): void {
  const real = (globalThis as unknown as { Notification?: { permission: string } }).Notification;
  const calls: { title: string; body: string }[] = [];
  (globalThis as unknown as { __notifications: unknown }).__notifications = calls;
  class Recorder {
    static get permission(): string {
      return real?.permission ?? 'denied';
    }
    static requestPermission(): Promise<string> {
      return Promise.resolve(real?.permission ?? 'denied');
    }
    onclick: unknown = null;
    constructor(title: string, opts?: { body?: string }) {
      calls.push({ title, body: opts?.body ?? '' });
    }
    close(): void {
      /* recorded only */
    }
  }
  (globalThis as unknown as { Notification: unknown }).Notification = Recorder;
}

/** An event whose DISPLAY alarm 1 minute before the start falls `inMs` from now. */
function withAlarm(uid: string, title: string, inMs: number, alarmLines: string[] = []): string {
  const start = Math.ceil((Date.now() + inMs + 60_000) / 1000) * 1000;
  return vevent(uid, [
    `SUMMARY:${title}`,
    'LOCATION:Kitchen',
    `DTSTART:${formatUtcDateTime(start)}`,
    `DTEND:${formatUtcDateTime(start + 1_800_000)}`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Reminder',
    'TRIGGER:-PT1M',
    ...alarmLines,
    'END:VALARM',
  ]);
}

describe('reminders in Chromium', () => {
  let server: TestServer;
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');
  const put = async (name: string, body: string): Promise<void> => {
    const res = await alice()(`${CAL}${name}`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body });
    assert.equal(res.status, 201, await res.text());
  };
  const notes = (page: Page): Promise<Note[]> => page.evaluate(() => (globalThis as unknown as Win).__notifications);

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  describe('with the notification permission', () => {
    let session: Session;
    let page: Page;
    before(async () => {
      session = await openBrowser();
      page = session.page;
      await session.context.grantPermissions(['notifications'], { origin: server.url });
      await session.context.addInitScript(recordNotifications);
      await logIn(page, server.url, 'alice', 'alice-pw');
    });
    after(async () => {
      await session?.close();
    });

    it("an alarm 1 minute before an event PUT over CalDAV notifies ~3 s later with the event's title; an acknowledged one does not", async () => {
      assert.equal(await page.getByRole('button', { name: 'Reminders: browser notifications on' }).count(), 1);
      const acked = formatUtcDateTime(Date.now() + 120_000);
      await put('plumber.ics', withAlarm('plumber', 'Call the plumber', 3_000));
      await put('acked.ics', withAlarm('acked', 'Already dismissed', 3_000, [`ACKNOWLEDGED:${acked}`]));
      const t = Date.now();
      await until(
        async () => (await notes(page)).some((n) => n.title === 'Call the plumber'),
        'the notification',
        15_000,
      );
      const waited = Date.now() - t;
      console.log(`# reminder notified ${waited} ms after the PUT (trigger at +3 s)`);
      assert.ok(waited >= 1_500, `not before its time (${waited} ms)`);
      const note = (await notes(page)).find((n) => n.title === 'Call the plumber')!;
      assert.match(note.body, /^Starts .+ · Kitchen$/);
      await new Promise((r) => setTimeout(r, 1_500));
      assert.deepEqual(
        (await notes(page)).map((n) => n.title),
        ['Call the plumber'],
        'the acknowledged alarm stays silent',
      );
    });

    it('fires once per session: not again when the plan is renewed by a change, nor after a reload', async () => {
      await put(
        'other.ics',
        vevent('other', ['SUMMARY:Something else', 'DTSTART:20270101T100000Z', 'DTEND:20270101T110000Z']),
      );
      await page.locator('[data-testid=event], .fc').first().waitFor();
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal((await notes(page)).filter((n) => n.title === 'Call the plumber').length, 1);
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      await new Promise((r) => setTimeout(r, 2_000));
      assert.deepEqual(
        (await notes(page)).map((n) => n.title),
        [],
        'nothing fired again after the reload (the alarm is still within its grace minute)',
      );
    });
  });

  describe('without the permission', () => {
    let session: Session;
    let page: Page;
    before(async () => {
      session = await openBrowser();
      page = session.page;
      await session.context.addInitScript(recordNotifications);
      await logIn(page, server.url, 'alice', 'alice-pw');
    });
    after(async () => {
      await session?.close();
    });

    it('the reminder shows inside the app, until dismissed', async () => {
      assert.notEqual(
        await page.evaluate(
          () => (globalThis as unknown as { Notification: { permission: string } }).Notification.permission,
        ),
        'granted',
      );
      await put('bins.ics', withAlarm('bins', 'Put the bins out', 3_000));
      const toast = page.locator('[data-testid=reminder]', { hasText: 'Put the bins out' });
      await toast.waitFor({ timeout: 15_000 });
      assert.deepEqual(await notes(page), []);
      assert.match((await toast.textContent()) ?? '', /Kitchen/);
      await toast.getByRole('button', { name: 'Dismiss' }).click();
      await toast.waitFor({ state: 'detached' });
    });
  });
});
