/**
 * Meetings in the web app (RFC 6638 §3.2): the organizer invites people from the event editor,
 * with addresses suggested from their contacts, and sees who answered; an attendee answers an
 * invitation with Accept / Maybe / Decline and a comment, which changes only their own PARTSTAT
 * (§3.2.2.1) — the server's implicit scheduling sends the iTIP messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { autoProcessEnabled, receiveExternalItip } from '../../src/domain/scheduling/index.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { goTo, objects, shot, until, vevent } from './page-helpers.js';

const CAL = '/dav/calendars/alice/default/';
const BOOK = '/dav/addressbooks/alice/default/';
const unfold = (s: string): string => s.replace(/\r\n[ \t]/g, '');

describe('meetings in the web app (RFC 6638 §3.2)', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  const errors: string[] = [];
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');

  before(async () => {
    server = await startTestServer();
    const card =
      'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bob-builder\r\nFN:Bob Builder\r\nN:Builder;Bob;;;\r\nEMAIL;TYPE=work:bob@example.com\r\nEND:VCARD\r\n';
    assert.equal(
      (await alice()(`${BOOK}bob.vcf`, { method: 'PUT', headers: { 'Content-Type': 'text/vcard' }, body: card }))
        .status,
      201,
    );
    session = await openBrowser();
    page = session.page;
    page.on('pageerror', (err) => errors.push(err.message));
    await logIn(page, server.url, 'alice', 'alice-pw');
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('§3.2.1: the organizer invites a contact found by name; the stored event names ORGANIZER and the ATTENDEEs', async () => {
    errors.length = 0;
    await goTo(page, 'dayGridMonth', '2027-04-14');
    await page.getByRole('button', { name: 'New event' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.getByPlaceholder('Add title').fill('Kick-off');
    const who = dialog.getByRole('combobox', { name: 'Invite by name or e-mail' });
    await who.pressSequentially('Build');
    await until(
      async () => (await dialog.locator('#attendee-suggestions option').count()) > 0,
      'a suggestion from the contacts appears',
    );
    assert.equal(
      await dialog.locator('#attendee-suggestions option').first().getAttribute('value'),
      'Bob Builder <bob@example.com>',
    );
    await who.fill('Bob Builder <bob@example.com>');
    await who.press('Enter');
    await who.fill('not an address');
    await who.press('Enter');
    assert.equal(await dialog.locator('.attendee-list li').count(), 1, 'an entry without an address is not added');
    await who.fill('');
    await dialog.locator('.attendee-list li', { hasText: 'Bob Builder' }).getByText('no answer yet').waitFor();
    await shot(page, 'meeting-invite');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    let stored = '';
    await until(async () => {
      const list = await alice()(CAL, {
        method: 'PROPFIND',
        headers: { Depth: '1' },
        body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
      });
      for (const m of (await list.text()).matchAll(/<D:href>([^<]+\.ics)<\/D:href>/g)) {
        const body = unfold(await (await alice()(m[1]!)).text());
        if (body.includes('SUMMARY:Kick-off')) stored = body;
      }
      return stored !== '';
    }, 'the meeting is stored');
    assert.match(stored, /\r\nORGANIZER;CN=alice:mailto:alice@example\.com\r\n/i);
    assert.match(stored, /\r\nATTENDEE;[^\r\n]*ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:alice@example\.com\r\n/);
    // The server adds SCHEDULE-STATUS once it delivered the invitation (RFC 6638 §7.3).
    assert.match(
      stored,
      /\r\nATTENDEE;CN=Bob Builder;[^\r\n]*PARTSTAT=NEEDS-ACTION;RSVP=TRUE[^\r\n]*:mailto:bob@example\.com\r\n/,
    );
    // Implicit scheduling delivered it to bob, a user of this server (RFC 6638 §3.2.1, §4.1).
    const bobs = await objects(davFetch(server.url, 'bob'), '/dav/calendars/bob/default/');
    assert.ok(
      bobs.some((o) => unfold(o.body).includes('SUMMARY:Kick-off')),
      "the invitation is in bob's calendar",
    );
    assert.deepEqual(errors, []);
  });

  it('§3.2.2.1: an attendee answers an invitation (Accept, with a comment); only their PARTSTAT changes', async () => {
    const invitation = vevent('invite-1@example.org', [
      'DTSTART:20270415T090000Z',
      'DTEND:20270415T100000Z',
      'SUMMARY:Budget review',
      'SEQUENCE:2',
      'ORGANIZER;CN=Carol:mailto:carol@example.org',
      'ATTENDEE;CN=Carol;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:carol@example.org',
      'ATTENDEE;CN=Alice;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.com',
    ]);
    assert.equal(
      (
        await alice()(`${CAL}invite-1.ics`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: invitation,
        })
      ).status,
      201,
    );
    await goTo(page, 'dayGridMonth', '2027-04-15');
    const ev = page.locator('[data-testid=event]', { hasText: 'Budget review' }).first();
    await ev.waitFor();
    await ev.click();
    const dialog = page.getByRole('dialog', { name: 'Edit event' });
    await dialog.getByText('Only the organizer can change this meeting').waitFor();
    assert.equal(await dialog.getByPlaceholder('Add title').isDisabled(), true, "the details are the organizer's");
    assert.equal(await dialog.getByRole('button', { name: 'Save' }).count(), 0);
    await dialog.getByRole('textbox', { name: 'Comment for the organizer (optional)' }).fill('Will bring the numbers');
    await shot(page, 'meeting-answer');
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await dialog.waitFor({ state: 'detached' });
    await until(
      async () =>
        unfold(await (await alice()(`${CAL}invite-1.ics`)).text()).includes('PARTSTAT=ACCEPTED;X-RESPONSE-COMMENT'),
      'the answer is stored',
    );
    const body = unfold(await (await alice()(`${CAL}invite-1.ics`)).text());
    assert.match(
      body,
      /ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED;X-RESPONSE-COMMENT=Will bring the numbers:mailto:alice@example\.com/,
    );
    assert.match(body, /SEQUENCE:2\r\n/, "the organizer's SEQUENCE is kept");
    assert.match(body, /ATTENDEE;CN=Carol;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:carol@example\.org/);
  });

  it("§5: the free/busy grid shows each invited user's busy time on the meeting's day; an address elsewhere is unknown", async () => {
    const bob = davFetch(server.url, 'bob');
    const busy = vevent('bob-busy@example.com', [
      'DTSTART:20270420T110000Z',
      'DTEND:20270420T120000Z',
      'SUMMARY:Dentist',
    ]);
    assert.equal(
      (
        await bob('/dav/calendars/bob/default/busy.ics', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: busy,
        })
      ).status,
      201,
    );
    await goTo(page, 'dayGridMonth', '2027-04-20');
    await page.getByRole('button', { name: 'New event' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.getByPlaceholder('Add title').fill('Find a time');
    await dialog.getByLabel('Starts', { exact: true }).fill('2027-04-20T10:00');
    await dialog.getByLabel('Ends', { exact: true }).fill('2027-04-20T11:00');
    const who = dialog.getByRole('combobox', { name: 'Invite by name or e-mail' });
    for (const address of ['bob@example.com', 'carol@elsewhere.example']) {
      await who.fill(address);
      await who.press('Enter');
    }
    const grid = dialog.locator('fieldset.free-busy');
    await grid.locator('.fb-row[data-email="bob@example.com"] .fb-busy').waitFor();
    assert.equal(
      await grid.locator('.fb-row[data-email="alice@example.com"] .fb-busy').count(),
      0,
      'alice is free that day',
    );
    await grid.locator('.fb-row[data-email="carol@elsewhere.example"] .fb-unknown').waitFor();
    // Berlin in April is UTC+2: bob's 11:00Z appointment is 13:00–14:00 of the 07:00–21:00 window.
    const style = await grid.locator('.fb-row[data-email="bob@example.com"] .fb-busy').getAttribute('style');
    assert.match(style ?? '', /left: 42\.86%; width: 7\.14%/);
    await grid.scrollIntoViewIfNeeded();
    await shot(page, 'meeting-free-busy');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('§4: invitations taken in by hand wait in the sidebar; Accept puts the event in the calendar and the organizer sees the answer', async () => {
    const aliceUser = (await server.store.getUserByName('alice'))!;
    const auto = page.getByRole('checkbox', { name: 'Add invitations to my calendar automatically' });
    await auto.waitFor();
    assert.equal(await auto.isChecked(), true, 'on by default');
    await auto.uncheck();
    await until(async () => !(await autoProcessEnabled(server.store, aliceUser)), 'the setting is stored');
    const bob = davFetch(server.url, 'bob');
    const meeting = vevent('by-hand@example.com', [
      'DTSTART:20270422T130000Z',
      'DTEND:20270422T140000Z',
      'SUMMARY:Site visit',
      'ORGANIZER;CN=Bob:mailto:bob@example.com',
      'ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com',
      'ATTENDEE;CN=Alice;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.com',
    ]);
    const put = await bob('/dav/calendars/bob/default/visit.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: meeting,
    });
    assert.equal(put.status, 201);
    // The inbox change reaches the page as a live notice; nothing is in alice's calendar yet.
    const item = page.locator('.invitations li.invitation', { hasText: 'Site visit' });
    await item.waitFor();
    await page.locator('.invitations h4', { hasText: 'Invitations (1)' }).waitFor();
    assert.equal(
      (await objects(alice(), CAL)).some((o) => unfold(o.body).includes('SUMMARY:Site visit')),
      false,
      'the invitation waits in the inbox only',
    );
    await shot(page, 'meeting-inbox');
    await item.getByRole('button', { name: 'Accept: Site visit' }).click();
    await item.waitFor({ state: 'detached' });
    await until(
      async () =>
        unfold(await (await bob('/dav/calendars/bob/default/visit.ics')).text()).includes(
          'PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2.0:mailto:alice@example.com',
        ),
      "the organizer's copy shows the answer",
    );
    const mine = (await objects(alice(), CAL)).find((o) => unfold(o.body).includes('SUMMARY:Site visit'));
    assert.ok(mine, "the event is in alice's calendar");
    assert.doesNotMatch(mine.body, /METHOD:/);
    await until(async () => (await objects(alice(), '/dav/calendars/alice/inbox/')).length === 0, 'the inbox is empty');
    await auto.check();
    await until(async () => autoProcessEnabled(server.store, aliceUser), 'back to automatic');
    assert.deepEqual(errors, []);
  });

  it('RFC 5546 §3.2.7: a counter-proposal from outside is shown to the organizer, never applied by itself; "Take this time" re-invites with it', async () => {
    const meeting = vevent('counter-me@example.com', [
      'DTSTART:20270423T080000Z',
      'DTEND:20270423T090000Z',
      'SUMMARY:Vendor call',
      'ORGANIZER;CN=alice:mailto:alice@example.com',
      'ATTENDEE;CN=alice;PARTSTAT=ACCEPTED:mailto:alice@example.com',
      'ATTENDEE;CN=Dave;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@elsewhere.example',
    ]);
    const put = await alice()(`${CAL}vendor.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: meeting,
    });
    assert.equal(put.status, 201);
    const counter = vevent('counter-me@example.com', [
      'DTSTART:20270423T140000Z',
      'DTEND:20270423T150000Z',
      'SUMMARY:Vendor call',
      'COMMENT:Mornings are hard',
      'ORGANIZER:mailto:alice@example.com',
      'ATTENDEE;CN=Dave;PARTSTAT=TENTATIVE:mailto:dave@elsewhere.example',
    ]).replace('BEGIN:VEVENT', 'METHOD:COUNTER\r\nBEGIN:VEVENT');
    const aliceId = (await server.store.getUserByName('alice'))!.id;
    // As mail from outside arrives (http/mail-ports.ts): through the store the server writes with.
    const outcome = await receiveExternalItip(server.announcing, {
      recipient: aliceId,
      sender: 'mailto:dave@elsewhere.example',
      method: 'COUNTER',
      icsText: counter,
    });
    assert.equal(outcome, 'applied');
    assert.match(unfold(await (await alice()(`${CAL}vendor.ics`)).text()), /DTSTART:20270423T080000Z/, 'not applied');
    const item = page.locator('.invitations li.proposal', { hasText: 'Vendor call' });
    await item.waitFor();
    await item.getByText('Mornings are hard').waitFor();
    await shot(page, 'meeting-counter');
    await item.getByRole('button', { name: 'Take this time: Vendor call' }).click();
    await item.waitFor({ state: 'detached' });
    await until(
      async () => unfold(await (await alice()(`${CAL}vendor.ics`)).text()).includes('DTSTART:20270423T140000Z'),
      'the proposed time is taken',
    );
    const pending = await server.store.pendingItip(20);
    assert.ok(
      pending.some(
        (m) =>
          m.method === 'REQUEST' &&
          m.recipient === 'mailto:dave@elsewhere.example' &&
          /DTSTART:20270423T140000Z/.test(m.icsText),
      ),
      'dave is sent the new time',
    );
    assert.deepEqual(errors, []);
  });
});
