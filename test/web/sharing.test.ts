/**
 * Sharing in the web app (issue #17 item 7) in Chromium, two users in two browsers: alice finds
 * bob by principal search (RFC 3744 §9.4) in the share dialog and shares her calendar
 * (caldav-sharing §5.3.2); bob sees the invitation arrive live (§4 notification collection),
 * accepts it (§5.4.1) and sees the calendar with its owner and its events; he renames and
 * recolours his copy for himself (§5.5.3); alice lowers him to read and his app shows the calendar
 * read-only, the event without Save; alice removes him and the calendar leaves his sidebar. The
 * public link: switched on in the dialog it serves the calendar to anyone, switched off it is 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { makeCalendar, propfind } from '../e2e/caldav-sharing/sharing-steps.js';
import { addGroup, setGroupMember } from '../../src/domain/accounts/groups.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { until } from './page-helpers.js';

const TEAM = '/dav/calendars/alice/team/';
const pad = (n: number): string => String(n).padStart(2, '0');
const today = new Date();
const ymd = `${today.getFullYear()}${pad(today.getMonth() + 1)}${pad(today.getDate())}`;

describe('web app: sharing a calendar and its public link in Chromium (issue #17 item 7)', () => {
  let server: TestServer;
  let session: Session;
  let alice: Page;
  let bob: Page;

  before(async () => {
    server = await startTestServer();
    await addGroup(server.store, 'crew');
    await setGroupMember(server.store, 'crew', 'bob', true);
    await makeCalendar(server.url, 'alice', TEAM, 'Team', '#16a34a');
    const put = await davFetch(server.url)(`${TEAM}lunch.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Test//Sharing//EN',
        'BEGIN:VEVENT',
        'UID:lunch',
        'DTSTAMP:20260101T000000Z',
        `DTSTART;VALUE=DATE:${ymd}`,
        'SUMMARY:Team lunch',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    });
    assert.equal(put.status, 201);
    session = await openBrowser();
    alice = session.page;
    await logIn(alice, server.url, 'alice', 'alice-pw');
    const context = await session.browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-GB',
      timezoneId: 'Europe/Berlin',
    });
    bob = await context.newPage();
    bob.setDefaultTimeout(10_000);
    await logIn(bob, server.url, 'bob', 'bob-pw');
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  const item = (page: Page, name: string) => page.locator('nav.sidebar li.collection', { hasText: name });
  const dialog = (page: Page) => page.locator('dialog[aria-label="Share “Team”"]');
  const openShare = async (): Promise<void> => {
    await item(alice, 'Team').hover(); // the sidebar shows an item's buttons on hover or focus
    await alice.getByRole('button', { name: 'Share Team' }).click();
    await dialog(alice).getByLabel('Share with a user or group').waitFor();
  };
  const closeShare = async (): Promise<void> => {
    await dialog(alice).getByRole('button', { name: 'Close' }).click();
    await dialog(alice).waitFor({ state: 'detached' });
  };

  it('alice finds bob by name and shares; he is listed as invited', async () => {
    await openShare();
    assert.match((await dialog(alice).textContent()) ?? '', /Not shared with anyone yet/);
    await dialog(alice).getByLabel('Share with a user or group').fill('bo');
    const candidate = dialog(alice).locator('button.share-candidate', { hasText: 'bob@example.com' });
    await candidate.waitFor();
    assert.equal(await dialog(alice).locator('button.share-candidate', { hasText: 'alice' }).count(), 0);
    await candidate.click();
    const row = dialog(alice).locator('li.sharee', { hasText: 'bob' });
    await row.waitFor();
    assert.equal(await row.locator('.badge').textContent(), 'invited');
    await row.getByLabel('Access of bob').selectOption('read-write');
    await until(
      async () => (await propfind(server.url, 'alice', TEAM, '<CS:invite/>')).includes('<CS:read-write/>'),
      'the server has bob with read-write',
    );
    await closeShare();
    await until(
      async () =>
        (await item(alice, 'Team').getByRole('button', { name: 'Share Team' }).getAttribute('data-shared')) === '1',
      "alice's sidebar says the calendar is shared",
    );
  });

  it('bob sees the invitation arrive live, accepts, and gets the calendar with its owner and events', async () => {
    const invitation = bob.locator('li.share-invitation');
    await until(async () => (await invitation.count()) === 1, "the invitation is in bob's sidebar", 15_000);
    assert.match((await invitation.textContent()) ?? '', /alice shares the calendar “Team” \(can edit\)/);
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await until(async () => (await item(bob, 'Team').count()) === 1, 'the shared calendar is in the sidebar', 15_000);
    assert.match((await item(bob, 'Team').textContent()) ?? '', /shared by alice/);
    assert.equal(await item(bob, 'Team').locator('.badge').count(), 0, 'read-write is not read-only');
    assert.equal(await bob.getByRole('button', { name: 'Share Team' }).count(), 0, 'a sharee cannot share on');
    await until(
      async () => (await bob.locator('.fc-event', { hasText: 'Team lunch' }).count()) === 1,
      'the event shows',
    );
    assert.equal(await invitation.count(), 0);
    await openShare();
    const row = dialog(alice).locator('li.sharee', { hasText: 'bob' });
    await until(async () => (await row.locator('.badge').textContent()) === 'accepted', 'alice sees the acceptance');
    await closeShare();
  });

  it("bob's name and colour for the calendar are his own; alice's stay", async () => {
    await item(bob, 'Team').hover();
    await item(bob, 'Team').getByRole('button', { name: 'Edit Team' }).click();
    const edit = bob.locator('dialog[aria-label="Calendar"]');
    await edit.getByLabel('Name', { exact: true }).fill("Alice's team");
    await edit.getByRole('button', { name: 'Colour #9333ea' }).click();
    await edit.getByRole('button', { name: 'Save' }).click();
    await until(async () => (await item(bob, "Alice's team").count()) === 1, 'the new name is in his sidebar');
    assert.match(
      (await item(bob, "Alice's team").locator('.swatch').getAttribute('style')) ?? '',
      /147, 51, 234|9333ea/,
    );
    const owners = await propfind(server.url, 'alice', TEAM, '<D:displayname/><ICAL:calendar-color/>');
    assert.match(owners, /<D:displayname[^>]*>Team<\/D:displayname>/);
    assert.doesNotMatch(owners, /9333ea/i);
  });

  it('lowered to read access, bob sees it read-only and the event without Save', async () => {
    await openShare();
    await dialog(alice).locator('li.sharee', { hasText: 'bob' }).getByLabel('Access of bob').selectOption('read');
    await closeShare();
    await until(
      async () =>
        (await item(bob, "Alice's team")
          .locator('.badge')
          .textContent()
          .catch(() => '')) === 'read-only',
      "bob's app shows the calendar read-only",
      15_000,
    );
    await bob.locator('.fc-event', { hasText: 'Team lunch' }).click();
    const editor = bob.locator('dialog[aria-label="Edit event"]');
    await editor.waitFor();
    assert.equal(await editor.getByRole('button', { name: 'Save' }).count(), 0);
    assert.equal(await editor.getByRole('button', { name: 'Delete' }).count(), 0);
    assert.ok(await editor.locator('input[name=title]').isDisabled());
    await editor.getByRole('button', { name: 'Close' }).click();
  });

  it('the public link serves the calendar to anyone; switched off it is 404 at once', async () => {
    await openShare();
    await dialog(alice).getByLabel('Share a read-only link').check();
    const url = dialog(alice).locator('input[name=public-url]');
    await url.waitFor();
    const link = await url.inputValue();
    assert.match(link, /\/public\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await fetch(link);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /SUMMARY:Team lunch/);
    await dialog(alice).getByLabel('Share a read-only link').uncheck();
    await url.waitFor({ state: 'detached' });
    assert.equal((await fetch(link)).status, 404);
    await closeShare();
  });

  it('removed by alice, the calendar leaves bob’s sidebar', async () => {
    await openShare();
    await dialog(alice).getByRole('button', { name: 'Stop sharing with bob' }).click();
    await until(
      async () => /Not shared with anyone yet/.test((await dialog(alice).textContent()) ?? ''),
      'bob is gone',
    );
    await closeShare();
    await until(async () => (await item(bob, "Alice's team").count()) === 0, 'the calendar left his sidebar', 15_000);
    assert.equal(await bob.locator('.fc-event', { hasText: 'Team lunch' }).count(), 0);
  });

  it('shared with the group “crew”, the calendar appears for bob, a member, without an invitation; unshared, it leaves', async () => {
    await openShare();
    await dialog(alice).getByLabel('Share with a user or group').fill('cre');
    const candidate = dialog(alice).locator('button.share-candidate', { hasText: 'crew' });
    await candidate.waitFor();
    await candidate.click();
    const row = dialog(alice).locator('li.sharee', { hasText: 'crew' });
    await row.waitFor();
    assert.equal(await row.locator('.badge').textContent(), 'accepted', 'a group needs no answer');
    await closeShare();
    await until(async () => (await item(bob, 'Team').count()) === 1, 'the calendar is in bob’s sidebar', 15_000);
    assert.equal(await bob.locator('li.share-invitation').count(), 0, 'no invitation to accept');
    await until(
      async () => (await bob.locator('.fc-event', { hasText: 'Team lunch' }).count()) === 1,
      'the event shows',
    );
    await openShare();
    await dialog(alice).getByRole('button', { name: 'Stop sharing with crew' }).click();
    await until(
      async () => /Not shared with anyone yet/.test((await dialog(alice).textContent()) ?? ''),
      'crew is gone',
    );
    await closeShare();
    await until(async () => (await item(bob, 'Team').count()) === 0, 'the calendar left his sidebar', 15_000);
  });
});
