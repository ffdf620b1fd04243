/**
 * The calendar UI in Chromium, as a new user meets it: creating events from the week and day
 * grids, the all-day switch, the phone's + button, delete with confirmation and undo, locale,
 * the display time zone, year view, mini month, keyboard shortcuts, and the month's render time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { goTo, objects, settled, shot, until, vevent } from './page-helpers.js';

const CAL = '/dav/calendars/alice/default/';

/** The centre of a time-grid slot: the day's column × the slot's row. */
async function slotPoint(page: Page, date: string, time: string): Promise<{ x: number; y: number }> {
  const lane = page.locator(`.fc-timegrid-slot-lane[data-time="${time}"]`);
  // The grid may be drawn again under the locator (the sync after a reload brings events):
  // then the lane found is gone before it is scrolled to, and the next attempt finds the new one.
  for (let attempt = 1; ; attempt++) {
    try {
      await lane.scrollIntoViewIfNeeded({ timeout: 2_000 });
      break;
    } catch (err) {
      if (attempt >= 3 || !/not attached/.test(String(err))) throw err;
    }
  }
  const row = await lane.boundingBox();
  const col = await page.locator(`.fc-timegrid-col[data-date="${date}"]`).boundingBox();
  assert.ok(row && col, `slot ${date} ${time} is on screen`);
  return { x: col.x + col.width / 2, y: row.y + row.height / 2 };
}

describe('calendar UI in Chromium', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  const errors: string[] = [];
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');

  before(async () => {
    server = await startTestServer();
    session = await openBrowser();
    page = session.page;
    page.on('pageerror', (err) => errors.push(err.message));
    await logIn(page, server.url, 'alice', 'alice-pw');
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('week view: a click on an empty slot opens "New event" at that time for 1 hour; no ghost block, no page error', async () => {
    errors.length = 0;
    await goTo(page, 'timeGridWeek', '2027-03-10');
    await page.waitForSelector('.fc-timegrid-col[data-date="2027-03-10"]');
    const p = await slotPoint(page, '2027-03-10', '10:00:00');
    await page.mouse.click(p.x, p.y);
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Starts', { exact: true }).inputValue(), '2027-03-10T10:00');
    assert.equal(await dialog.getByLabel('Ends', { exact: true }).inputValue(), '2027-03-10T11:00');
    assert.equal(await dialog.getByLabel('All day').isChecked(), false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.fc-event-mirror, .fc-highlight').count(), 0, 'no ghost block is left');
    assert.deepEqual(errors, []);
  });

  it('week view: dragging over 14:00–15:30 creates an event over that range (stored with TZID)', async () => {
    errors.length = 0;
    const a = await slotPoint(page, '2027-03-11', '14:00:00');
    const b = await slotPoint(page, '2027-03-11', '15:30:00');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, (a.y + b.y) / 2, { steps: 4 });
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Starts', { exact: true }).inputValue(), '2027-03-11T14:00');
    assert.equal(await dialog.getByLabel('Ends', { exact: true }).inputValue(), '2027-03-11T16:00');
    await dialog.getByPlaceholder('Add title').fill('Dragged workshop');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.fc-timegrid-event[data-testid=event]', { hasText: 'Dragged workshop' }).waitFor();
    const stored = (await objects(alice(), CAL)).find((o) => o.body.includes('SUMMARY:Dragged workshop'));
    assert.ok(stored, 'the event is on the server');
    assert.match(stored.body, /DTSTART;TZID=Europe\/Berlin:20270311T140000/);
    assert.match(stored.body, /DTEND;TZID=Europe\/Berlin:20270311T160000/);
    assert.equal(await page.locator('.fc-event-mirror').count(), 0);
    assert.deepEqual(errors, []);
  });

  it('day view: a click on an empty slot opens "New event" at that time', async () => {
    errors.length = 0;
    await goTo(page, 'timeGridDay', '2027-03-12');
    await page.waitForSelector('.fc-timeGridDay-view .fc-timegrid-col[data-date="2027-03-12"]');
    const p = await slotPoint(page, '2027-03-12', '08:30:00');
    await page.mouse.click(p.x, p.y);
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Starts', { exact: true }).inputValue(), '2027-03-12T08:30');
    assert.equal(await dialog.getByLabel('Ends', { exact: true }).inputValue(), '2027-03-12T09:30');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.fc-event-mirror').count(), 0);
    assert.deepEqual(errors, []);
  });
  it('new all-day event: unticking "All day" gives 09:00–10:00 on that day, not 25 hours', async () => {
    await goTo(page, 'dayGridMonth', '2027-03-15');
    await page.locator('td.fc-daygrid-day[data-date="2027-03-15"]').click({ position: { x: 30, y: 40 } });
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.waitFor();
    const starts = dialog.getByLabel('Starts', { exact: true });
    const ends = dialog.getByLabel('Ends', { exact: true });
    assert.equal(await dialog.getByLabel('All day').isChecked(), true);
    assert.equal(await starts.inputValue(), '2027-03-15');
    assert.equal(await ends.inputValue(), '2027-03-15', 'a one-day event ends on its own day');
    await dialog.getByLabel('All day').uncheck();
    assert.equal(await starts.inputValue(), '2027-03-15T09:00');
    assert.equal(await ends.inputValue(), '2027-03-15T10:00');
    await dialog.getByLabel('All day').check();
    assert.equal(await ends.inputValue(), '2027-03-15');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('all-day 22–24 Dec: the form names the last day, DTEND;VALUE=DATE is exclusive (RFC 5545 §3.6.1)', async () => {
    await goTo(page, 'dayGridMonth', '2027-12-22');
    await page.locator('td.fc-daygrid-day[data-date="2027-12-22"]').click({ position: { x: 30, y: 40 } });
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.getByPlaceholder('Add title').fill('Holidays');
    await dialog.getByLabel('Ends', { exact: true }).fill('2027-12-24');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid=event]', { hasText: 'Holidays' }).first().waitFor();
    const stored = (await objects(alice(), CAL)).find((o) => o.body.includes('SUMMARY:Holidays'));
    assert.ok(stored);
    assert.match(stored.body, /DTSTART;VALUE=DATE:20271222\r\n/);
    assert.match(stored.body, /DTEND;VALUE=DATE:20271225\r\n/);
    // The editor names 24 December again.
    await page.locator('[data-testid=event]', { hasText: 'Holidays' }).first().click();
    const edit = page.getByRole('dialog', { name: 'Edit event' });
    assert.equal(await edit.getByLabel('Starts', { exact: true }).inputValue(), '2027-12-22');
    assert.equal(await edit.getByLabel('Ends', { exact: true }).inputValue(), '2027-12-24');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });
  });

  it('an all-day event PUT by another client with DTEND 25 Dec shows "Ends 24/12" and saves back unchanged dates', async () => {
    const put = await alice()(`${CAL}xmas.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: vevent('xmas@example.com', [
        'DTSTART;VALUE=DATE:20271223',
        'DTEND;VALUE=DATE:20271226',
        'SUMMARY:Family visit',
      ]),
    });
    assert.equal(put.status, 201);
    const ev = page.locator('[data-testid=event]', { hasText: 'Family visit' }).first();
    await ev.waitFor();
    await ev.click();
    const edit = page.getByRole('dialog', { name: 'Edit event' });
    assert.equal(await edit.getByLabel('Ends', { exact: true }).inputValue(), '2027-12-25');
    await edit.getByLabel('Location').fill('Home');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await until(
      async () => (await (await alice()(`${CAL}xmas.ics`)).text()).includes('LOCATION:Home'),
      'the edit is stored',
    );
    const body = await (await alice()(`${CAL}xmas.ics`)).text();
    assert.match(body, /DTSTART;VALUE=DATE:20271223\r\n/);
    assert.match(body, /DTEND;VALUE=DATE:20271226\r\n/);
  });
  it('desktop: a visible "New event" button in the toolbar opens the editor', async () => {
    await goTo(page, 'dayGridMonth', '2027-03-15');
    const button = page.getByRole('button', { name: 'New event' }).first();
    assert.ok(await button.isVisible());
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.waitFor();
    assert.match(await dialog.getByLabel('Starts', { exact: true }).inputValue(), /^2027-03-01T09:00$/);
    assert.equal(await dialog.getByLabel('Ends', { exact: true }).inputValue(), '2027-03-01T10:00');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('phone (390×844): a floating + creates an event without a long press', async () => {
    const phone = await session.browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'en-GB',
      timezoneId: 'Europe/Berlin',
      storageState: await session.context.storageState(),
    });
    try {
      const p = await phone.newPage();
      const phoneErrors: string[] = [];
      p.on('pageerror', (err) => phoneErrors.push(err.message));
      await p.goto(server.url);
      await p.waitForSelector('body[data-ready=true]');
      const fab = p.getByRole('button', { name: 'New event' });
      await fab.waitFor();
      const box = await fab.boundingBox();
      assert.ok(
        box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844,
        `the + is on screen (${JSON.stringify(box)})`,
      );
      assert.ok(box.width >= 44 && box.height >= 44, 'a touch-sized target');
      const bar = await p.locator('.fc-footer-toolbar').boundingBox();
      assert.ok(!bar || box.y + box.height <= bar.y, 'the + does not cover the view buttons');
      await shot(p, 'calendar-phone-new-event');
      await fab.click();
      const dialog = p.getByRole('dialog', { name: 'New event' });
      await dialog.getByPlaceholder('Add title').fill('From the phone');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await until(
        async () => (await objects(alice(), CAL)).some((o) => o.body.includes('SUMMARY:From the phone')),
        'the event is stored',
      );
      assert.deepEqual(phoneErrors, []);
    } finally {
      await phone.close();
    }
  });
  it('delete asks first, then Undo puts the exact previous object back (If-None-Match: *)', async () => {
    const body = vevent('undo-me@example.com', [
      'DTSTART:20270317T100000Z',
      'DTEND:20270317T110000Z',
      'SUMMARY:Dentist',
      'X-CUSTOM-PROP;X-P=1:kept as it was',
      'DESCRIPTION:Bring the card',
    ]);
    assert.equal(
      (await alice()(`${CAL}undo-me.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body }))
        .status,
      201,
    );
    const before = await (await alice()(`${CAL}undo-me.ics`)).text();
    await goTo(page, 'dayGridMonth', '2027-03-17');
    const ev = page.locator('[data-testid=event]', { hasText: 'Dentist' });
    await ev.first().click();
    await page.getByRole('dialog', { name: 'Edit event' }).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete event' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await alice()(`${CAL}undo-me.ics`)).status, 200, 'Cancel deletes nothing');

    await ev.first().click();
    await page.getByRole('dialog', { name: 'Edit event' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete event' }).getByRole('button', { name: 'Delete' }).click();
    await until(async () => (await alice()(`${CAL}undo-me.ics`)).status === 404, 'the event is deleted on the server');
    await until(async () => (await ev.count()) === 0, 'the event is gone from the grid');
    const undo = page.locator('.toast', { hasText: 'Deleted “Dentist”' }).getByRole('button', { name: 'Undo' });
    await undo.click();
    await until(async () => (await alice()(`${CAL}undo-me.ics`)).status === 200, 'the event is back on the server');
    assert.equal(await (await alice()(`${CAL}undo-me.ics`)).text(), before, 'byte for byte the object it was');
    await ev.first().waitFor();
  });

  it('deleting one occurrence of a repeating event asks which; Undo removes the EXDATE again (If-Match)', async () => {
    const body = vevent('weekly-undo@example.com', [
      'DTSTART:20270301T070000Z',
      'DTEND:20270301T073000Z',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'SUMMARY:Jog',
    ]);
    assert.equal(
      (await alice()(`${CAL}weekly-undo.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body }))
        .status,
      201,
    );
    const before = await (await alice()(`${CAL}weekly-undo.ics`)).text();
    await goTo(page, 'dayGridMonth', '2027-03-08');
    const jog = page.locator('[data-testid=event]', { hasText: 'Jog' });
    await until(async () => (await jog.count()) === 4, 'four occurrences shown');
    await page.locator('td.fc-daygrid-day[data-date="2027-03-08"] [data-testid=event]', { hasText: 'Jog' }).click();
    await page.getByRole('dialog', { name: 'Edit event' }).getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete repeating event' })
      .getByRole('button', { name: 'This event' })
      .click();
    await until(async () => (await jog.count()) === 3, 'three occurrences left');
    assert.match(await (await alice()(`${CAL}weekly-undo.ics`)).text(), /EXDATE:20270308T070000Z/);
    await page.locator('.toast', { hasText: 'Deleted “Jog”' }).getByRole('button', { name: 'Undo' }).click();
    await until(async () => (await jog.count()) === 4, 'four occurrences again');
    assert.equal(await (await alice()(`${CAL}weekly-undo.ics`)).text(), before);
  });
  it('locale: week headers, first day and 24-hour times follow en-GB and de-DE (not US style)', async () => {
    for (const [locale, header, title] of [
      ['en-GB', /^Mon 08\/03$/, /8\s*[–-]\s*14 Mar 2027/],
      ['de-DE', /^Mo\.? 0?8\.0?3\.?$/, /8\.?\s*[–-]\s*14\.\s*März 2027/],
    ] as const) {
      const ctx = await session.browser.newContext({
        viewport: { width: 1280, height: 860 },
        locale,
        timezoneId: 'Europe/Berlin',
        storageState: await session.context.storageState(),
      });
      try {
        const p = await ctx.newPage();
        await p.goto(server.url);
        await p.waitForSelector('body[data-ready=true]');
        await goTo(p, 'timeGridWeek', '2027-03-10');
        const first = p.locator('.fc-col-header-cell').first();
        await first.waitFor();
        assert.equal(await first.getAttribute('data-date'), '2027-03-08', `${locale}: the week starts on Monday`);
        const text = (await first.innerText()).trim();
        assert.match(text, header, `${locale}: header "${text}"`);
        assert.match((await p.locator('.fc-toolbar-title').innerText()).trim(), title);
        assert.match(
          (await p.locator('.fc-timegrid-slot-label[data-time="13:00:00"]').innerText()).trim(),
          /^13:00$/,
          `${locale}: 24-hour clock`,
        );
      } finally {
        await ctx.close();
      }
    }
  });

  it('a 30-minute event shows its title in the week view (time and title on one line)', async () => {
    const body = vevent('short@example.com', [
      'DTSTART:20270316T090000Z',
      'DTEND:20270316T093000Z',
      'SUMMARY:Quick sync with design',
    ]);
    assert.equal(
      (await alice()(`${CAL}short.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body })).status,
      201,
    );
    await goTo(page, 'timeGridWeek', '2027-03-16');
    const ev = page.locator('.fc-timegrid-event[data-testid=event]', { hasText: 'Quick sync' });
    await ev.waitFor();
    await ev.scrollIntoViewIfNeeded();
    const box = (await ev.boundingBox())!;
    const title = (await ev.locator('.fc-event-title').boundingBox())!;
    assert.ok(
      title.height > 0 && title.y >= box.y - 1 && title.y + title.height <= box.y + box.height + 1,
      `the title lies inside the event block (block ${JSON.stringify(box)}, title ${JSON.stringify(title)})`,
    );
    await shot(page, 'calendar-ui-week');
    assert.ok(title.width >= 40, `the title has room (${title.width}px)`);
  });

  it('the agenda shows an event description with its line breaks', async () => {
    const body = vevent('described@example.com', [
      'DTSTART:20270318T090000Z',
      'DTEND:20270318T100000Z',
      'SUMMARY:Planning',
      'DESCRIPTION:First line\\nSecond line\\n\\nAfter a blank line',
    ]);
    assert.equal(
      (await alice()(`${CAL}described.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body }))
        .status,
      201,
    );
    await goTo(page, 'listMonth', '2027-03-18');
    const desc = page.locator('.fc-list-event', { hasText: 'Planning' }).locator('.event-description');
    await desc.waitFor();
    assert.equal(await desc.innerText(), 'First line\nSecond line\n\nAfter a blank line');
    await page
      .locator('.fc-list-event', { hasText: 'Planning' })
      .locator('[data-testid=event], .fc-list-event-title a')
      .first()
      .click();
    const edit = page.getByRole('dialog', { name: 'Edit event' });
    assert.equal(await edit.getByLabel('Description').inputValue(), 'First line\nSecond line\n\nAfter a blank line');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });
  });
  it('display time zone: an event stored in UTC shows at New York wall time; new events are written with TZID=America/New_York; the choice survives a reload', async () => {
    const body = vevent('utc-call@example.com', [
      'DTSTART:20270324T150000Z',
      'DTEND:20270324T160000Z',
      'SUMMARY:UTC call',
    ]);
    assert.equal(
      (await alice()(`${CAL}utc-call.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body }))
        .status,
      201,
    );
    await goTo(page, 'timeGridWeek', '2027-03-24');
    const ev = page.locator('.fc-timegrid-event[data-testid=event]', { hasText: 'UTC call' });
    await ev.waitFor();
    // Berlin (CET, UTC+1 until 28 March 2027): 16:00.
    assert.match(await ev.locator('.fc-event-time').innerText(), /^16:00/);
    await page.locator('.fc-zone-button').click();
    const dialog = page.getByRole('dialog', { name: 'Display time zone' });
    await dialog.getByLabel('Time zone').fill('America/New_York');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    // New York (EDT since 14 March 2027, UTC−4): 11:00.
    await until(
      async () => /^11:00/.test(await ev.locator('.fc-event-time').innerText()),
      'the event moves to 11:00 New York time',
    );
    assert.match(await page.locator('.fc-zone-button').innerText(), /New York/);
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await goTo(page, 'timeGridWeek', '2027-03-24');
    await ev.waitFor();
    assert.match(await ev.locator('.fc-event-time').innerText(), /^11:00/, 'still New York after a reload');

    const p = await slotPoint(page, '2027-03-25', '09:00:00');
    await page.mouse.click(p.x, p.y);
    const editor = page.getByRole('dialog', { name: 'New event' });
    await editor.waitFor();
    assert.equal(await editor.getByLabel('Starts', { exact: true }).inputValue(), '2027-03-25T09:00');
    assert.equal(await editor.getByLabel('Time zone').inputValue(), 'America/New_York');
    await editor.getByPlaceholder('Add title').fill('NY breakfast');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    await page.locator('.fc-timegrid-event[data-testid=event]', { hasText: 'NY breakfast' }).waitFor();
    const stored = (await objects(alice(), CAL)).find((o) => o.body.includes('SUMMARY:NY breakfast'));
    assert.ok(stored);
    assert.match(stored.body, /DTSTART;TZID=America\/New_York:20270325T090000/);
    assert.match(stored.body, /BEGIN:VTIMEZONE\r\nTZID:America\/New_York/);
    assert.match(
      await page
        .locator('.fc-timegrid-event[data-testid=event]', { hasText: 'NY breakfast' })
        .locator('.fc-event-time')
        .innerText(),
      /^09:00/,
    );

    // Dragged in the New York grid from 11:00 to 13:00: the stored instant moves by two hours.
    // The save's syncs draw the grid again (the event's element is replaced): drag after them.
    await settled(page, '.fc-view-harness');
    await ev.scrollIntoViewIfNeeded();
    const from = await slotPoint(page, '2027-03-24', '11:00:00');
    const to = await slotPoint(page, '2027-03-24', '13:00:00');
    await page.mouse.move(from.x, from.y + 2);
    await page.mouse.down();
    await page.mouse.move(to.x, (from.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y + 2, { steps: 5 });
    await page.mouse.up();
    await until(
      async () =>
        /DTSTART(:20270324T170000Z|;TZID=Europe\/Berlin:20270324T180000)\r\n/.test(
          await (await alice()(`${CAL}utc-call.ics`)).text(),
        ),
      'the moved event is stored at 17:00 UTC',
    );
    assert.match(
      await (await alice()(`${CAL}utc-call.ics`)).text(),
      /DTEND(:20270324T180000Z|;TZID=Europe\/Berlin:20270324T190000)\r\n/,
    );
    await until(
      async () => /^13:00/.test(await ev.locator('.fc-event-time').innerText()),
      'shown at 13:00 New York time',
    );

    await page.locator('.fc-zone-button').click();
    await page
      .getByRole('dialog', { name: 'Display time zone' })
      .getByRole('button', { name: 'Use browser zone' })
      .click();
    await until(async () => /^18:00/.test(await ev.locator('.fc-event-time').innerText()), 'back to Berlin time');
  });

  it('year view: twelve mini months, event days marked; a click on a day opens that day', async () => {
    await goTo(page, 'dayGridMonth', '2027-03-17');
    await page.getByRole('button', { name: 'Year', exact: true }).click();
    const grid = page.locator('.year-grid[data-year="2027"]');
    await grid.waitFor();
    assert.equal(await grid.locator('table.mini-month').count(), 12);
    assert.equal((await page.locator('.fc-toolbar-title').innerText()).trim(), '2027');
    const marked = await grid
      .locator('.mini-day.has-events:not(.other)')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-date')));
    for (const day of ['2027-03-01', '2027-03-17', '2027-03-24', '2027-12-22', '2027-12-23', '2027-12-24'])
      assert.ok(marked.includes(day), `${day} is marked`);
    assert.ok(!marked.includes('2027-03-02'), 'a day without events is not marked');
    assert.ok(
      marked.includes('2027-12-25') && !marked.includes('2027-12-26'),
      'an all-day event’s exclusive end (DTEND 26 Dec) is not marked',
    );
    // Each marked day says how many events it has (label and tooltip), and busy days stand out.
    const days = await grid.locator('.mini-day.has-events:not(.other)').evaluateAll((els) =>
      els.map((e) => ({
        count: Number(e.getAttribute('data-count')),
        label: e.getAttribute('aria-label') ?? '',
        title: e.getAttribute('title') ?? '',
        cls: e.className,
      })),
    );
    for (const d of days) {
      assert.ok(d.count >= 1, JSON.stringify(d));
      assert.ok(
        d.label.endsWith(`, ${d.count} event${d.count === 1 ? '' : 's'}`) &&
          d.title === `${d.count} event${d.count === 1 ? '' : 's'}`,
        JSON.stringify(d),
      );
      assert.equal(/\bbusy\b/.test(d.cls), d.count >= 3 && d.count < 6, JSON.stringify(d));
    }
    const mar17 = days.find((d) => d.label.includes('17 March 2027'));
    assert.ok(mar17 && mar17.count >= 1, 'the count of 17 March is given');
    await shot(page, 'calendar-year');
    await page.keyboard.press('ArrowRight');
    await page.locator('.year-grid[data-year="2028"]').waitFor();
    await page.keyboard.press('ArrowLeft');
    await grid.waitFor();
    await grid.locator('.mini-day[data-date="2027-03-17"]').first().click();
    await page.waitForSelector('.fc-timeGridDay-view .fc-timegrid-col[data-date="2027-03-17"]');
    await page.locator('.fc-timegrid-event[data-testid=event]', { hasText: 'Dentist' }).waitFor();
  });

  it('mini-month picker: the title opens a month with event days marked; a picked day moves the main view', async () => {
    await goTo(page, 'timeGridWeek', '2027-03-17');
    await page.locator('.fc-toolbar-title').click();
    const picker = page.getByRole('dialog', { name: 'Go to date' });
    await picker.waitFor();
    assert.ok(
      (await picker.locator('.mini-day.has-events[data-date="2027-03-17"]').count()) === 1,
      'a day with events is marked',
    );
    assert.equal(await picker.locator('.mini-day.has-events[data-date="2027-03-02"]').count(), 0);
    await picker.getByRole('button', { name: 'Next month' }).click();
    await picker.getByRole('button', { name: /12 April 2027/ }).click();
    await picker.waitFor({ state: 'detached' });
    await page.waitForSelector('.fc-timeGridWeek-view .fc-timegrid-col[data-date="2027-04-12"]');
  });

  it('keyboard shortcuts: t, n, d/w/m/y, arrows and j/k, ? for the list; not while typing', async () => {
    await goTo(page, 'dayGridMonth', '2027-03-17');
    await page.locator('.fc-daygrid-body').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    const view = (): Promise<string> =>
      page.evaluate(
        () => (globalThis as unknown as { almanac: { calendar: { viewType: string } } }).almanac.calendar.viewType,
      );
    for (const [key, type] of [
      ['w', 'timeGridWeek'],
      ['d', 'timeGridDay'],
      ['y', 'year'],
      ['m', 'dayGridMonth'],
    ] as const) {
      await page.keyboard.press(key);
      await until(async () => (await view()) === type, `${key} shows ${type}`);
    }
    const title = async (): Promise<string> => (await page.locator('.fc-toolbar-title').innerText()).trim();
    assert.match(await title(), /March 2027/);
    await page.keyboard.press('ArrowRight');
    await until(async () => /April 2027/.test(await title()), '→ is the next month');
    await page.keyboard.press('k');
    await until(async () => /March 2027/.test(await title()), 'k is the previous month');
    await page.keyboard.press('j');
    await until(async () => /April 2027/.test(await title()), 'j is the next month');
    await page.keyboard.press('ArrowLeft');
    await until(async () => /March 2027/.test(await title()), '← is the previous month');
    await page.keyboard.press('t');
    const now = new Date();
    const thisMonth = now.toLocaleDateString('en-GB', { month: 'long', year: 'numeric' });
    await until(async () => (await title()) === thisMonth, 't goes to today');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    assert.ok((await help.innerText()).includes('Year view'));
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    assert.equal(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { type?: string } | null } }).document.activeElement
            ?.type,
      ),
      'search',
      '/ focuses the search box',
    );
    await page.keyboard.type('w');
    assert.equal(await view(), 'dayGridMonth', 'typing in the search box is not a shortcut');
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('n');
    const editor = page.getByRole('dialog', { name: 'New event' });
    await editor.waitFor();
    // Typing a title with w, d, m, y in it changes no view.
    await editor.getByPlaceholder('Add title').pressSequentially('dwmy t');
    assert.equal(await editor.getByPlaceholder('Add title').inputValue(), 'dwmy t');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await editor.waitFor({ state: 'detached' });
    assert.equal(await view(), 'dayGridMonth');
  });
});
